// OpenAPI operations → the bundle's operation table: one entry per method ×
// path template, with path-level parameters folded in and local $refs to
// parameters and request bodies resolved, so the proxy looks operations up
// instead of interpreting the specification per request.

import type { BundleBody } from "./bundle-schema";
import type { EffectivePolicy } from "./effective-policy-schema";
import { resolveLocalRef } from "./json-pointer";
import { OPENAPI_OPERATION_METHODS, STYLES_BY_LOCATION, type OpenApiDocument, type ParameterStyle } from "./sections/openapi";
import type { HttpMethod } from "./sections/policy-fields";

type CompiledOpenApi = NonNullable<BundleBody["openapi"]>;
type CompiledOperation = CompiledOpenApi["operations"][number];
type CompiledParameter = CompiledOperation["parameters"][number];

const MAX_REF_HOPS = 16;

export function compileOpenApi(section: EffectivePolicy["openapi"]): BundleBody["openapi"] {
  if (!section) return null;
  const spec = section.spec;
  const operations: CompiledOperation[] = [];
  for (const template of Object.keys(spec.paths).sort()) {
    const item = spec.paths[template]!;
    for (const method of OPENAPI_OPERATION_METHODS) {
      const operation = item[method] as Record<string, unknown> | undefined;
      if (!operation) continue;
      operations.push({
        method: method.toUpperCase() as HttpMethod,
        template,
        path: compileTemplate(template),
        operationId: typeof operation.operationId === "string" ? operation.operationId : null,
        parameters: mergeParameters(spec, item.parameters ?? [], (operation.parameters as unknown[] | undefined) ?? []),
        requestBody: compileRequestBody(spec, operation.requestBody),
      });
    }
  }
  return {
    mode: section.validation,
    operations,
    components: (spec.components as Record<string, unknown> | undefined) ?? null,
  };
}

/** OpenAPI templates may sit inside a segment (/files/{name}.{ext}), so they compile to a regex. */
function compileTemplate(template: string): CompiledOperation["path"] {
  if (!template.includes("{")) return { kind: "exact", value: template, caseInsensitive: false };
  const source = template
    .split(/(\{[^}]*\})/)
    .map((part) => (part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  // Allow lists match case-sensitively: a looser match would admit paths the spec does not describe.
  return { kind: "regex", source: `^${source}$`, caseInsensitive: false };
}

function deref(spec: OpenApiDocument, value: unknown): Record<string, unknown> | undefined {
  let current = value;
  for (let hop = 0; hop < MAX_REF_HOPS; hop++) {
    if (current === null || typeof current !== "object") return undefined;
    const ref = (current as { $ref?: unknown }).$ref;
    if (typeof ref !== "string") return current as Record<string, unknown>;
    current = resolveLocalRef(spec, ref);
  }
  return undefined;
}

function mergeParameters(spec: OpenApiDocument, pathLevel: unknown[], operationLevel: unknown[]): CompiledParameter[] {
  // Operation-level parameters override path-level ones with the same name and location (OpenAPI 3.x).
  const byKey = new Map<string, CompiledParameter>();
  for (const raw of [...pathLevel, ...operationLevel]) {
    const parameter = deref(spec, raw);
    if (!parameter || typeof parameter.name !== "string" || typeof parameter.in !== "string") continue;
    const location = parameter.in as CompiledParameter["in"];
    const style = (parameter.style as ParameterStyle | undefined) ?? STYLES_BY_LOCATION[location][0]!;
    byKey.set(`${location}:${parameter.name}`, {
      name: parameter.name,
      in: location,
      required: location === "path" ? true : parameter.required === true,
      style,
      // OpenAPI: explode defaults to true for form, false for every other style.
      explode: typeof parameter.explode === "boolean" ? parameter.explode : style === "form",
      schema: (parameter.schema as Record<string, unknown> | undefined) ?? null,
    });
  }
  return [...byKey.values()].sort((a, b) => (a.in === b.in ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.in < b.in ? -1 : 1));
}

function compileRequestBody(spec: OpenApiDocument, raw: unknown): CompiledOperation["requestBody"] {
  const body = deref(spec, raw);
  if (!body) return null;
  const content: Record<string, Record<string, unknown> | null> = {};
  for (const [mediaType, media] of Object.entries((body.content as Record<string, { schema?: Record<string, unknown> }>) ?? {})) {
    content[mediaType] = media?.schema ?? null;
  }
  return { required: body.required === true, content };
}
