// OpenAPI validation from the policy's compiled operation table: the path must
// be a documented path (404), the method one of its operations (405), every
// query parameter declared and every declared parameter valid (400), the body's
// media type one the operation accepts (415) and the body valid against its
// schema (400). Everything — the path trie, parameter shapes, JSON Schema
// validators — is compiled once when the policy loads; per request it is
// lookups and closures. In log-only mode the same findings are logged and the
// request passes.

import { resolveLocalRef, type Bundle } from "@/lib/policy-spec";
import { blocked, logged, type Decision } from "../../runtime/decision.js";
import type { Middleware } from "../../runtime/middleware.js";
import type { RequestContext } from "../../runtime/request-context.js";
import { createSchemaCompiler, type Validate } from "./compile-json-schema.js";
import { coerce, decodeFormPairs, kindOf, readQueryParameter, readScalarStyle, type ParameterShape, type ValueKind } from "./parameter-styles.js";
import { PathTemplateIndex } from "./path-template.js";

type OpenApi = NonNullable<Bundle["openapi"]>;
type Operation = OpenApi["operations"][number];

export interface CompiledParameter {
  shape: ParameterShape;
  required: boolean;
  /** The parameter's schema as the document gives it (null: none), and its compiled validator. */
  schema: Record<string, unknown> | null;
  validate: Validate | null;
}

export interface CompiledBody {
  required: boolean;
  /** Media type (lower-case, no parameters) → schema and validator (null: any content). */
  media: Array<{ type: string; schema: Record<string, unknown> | null; validate: Validate | null; kinds: ReadonlyMap<string, ValueKind> }>;
}

/** One operation's fields and their compiled schemas: what content profiles per field (issue #21) build on. */
export interface CompiledOperation {
  operationId: string | null;
  template: string;
  query: CompiledParameter[];
  queryNames: ReadonlySet<string>;
  /** Exploded form objects and deepObjects own more than their own name. */
  openQuery: boolean;
  path: CompiledParameter[];
  header: CompiledParameter[];
  cookie: CompiledParameter[];
  body: CompiledBody | null;
}

const MAX_QUERY_PAIRS = 1024;

export interface CompiledOpenApi {
  index: PathTemplateIndex<Map<string, CompiledOperation>>;
  /** Every operation by template and method, each field with its schema and validator. */
  operations: ReadonlyMap<string, ReadonlyMap<string, CompiledOperation>>;
  /** Resolves a local $ref chain to the schema object (null when it does not resolve). */
  resolve(schema: unknown): Record<string, unknown> | null;
}

/** The operation table compiled once per policy: path trie, parameter shapes, ajv validators. */
export function compileOpenApiOperations(openapi: OpenApi): CompiledOpenApi {
  const root = { components: openapi.components ?? {} };
  const compileSchema = createSchemaCompiler({ root });
  const resolve = (schema: unknown): Record<string, unknown> | null => {
    let current = schema;
    for (let hop = 0; hop < 16; hop++) {
      if (current === null || typeof current !== "object") return null;
      const ref = (current as { $ref?: unknown }).$ref;
      if (typeof ref !== "string") return current as Record<string, unknown>;
      current = resolveLocalRef(root, ref);
    }
    return null;
  };
  const index = new PathTemplateIndex<Map<string, CompiledOperation>>();
  const byTemplate = new Map<string, Map<string, CompiledOperation>>();
  for (const operation of openapi.operations) {
    let methods = byTemplate.get(operation.template);
    if (!methods) {
      methods = new Map();
      byTemplate.set(operation.template, methods);
      index.add(operation.template, methods);
    }
    try {
      methods.set(operation.method, compileOperation(operation, compileSchema, resolve));
    } catch (error) {
      throw new Error(`openapi ${operation.method} ${operation.template}: ${(error as Error).message}`);
    }
  }
  return { index, operations: byTemplate, resolve };
}

export function newOpenApiValidation(openapi: OpenApi): Middleware {
  const { index } = compileOpenApiOperations(openapi);
  const block = openapi.mode === "block";
  const decide = (
    ctx: RequestContext,
    status: number,
    ruleId: string,
    part: string,
    name: string,
    excerpt: string,
    headers?: Array<[string, string]>,
  ): Decision | null => {
    if (block) return blocked(status, "openapi", ruleId, part, name, excerpt, headers);
    ctx.log(logged("openapi", ruleId, part, name, excerpt));
    return null;
  };
  return {
    name: "openapi",
    onRequest(ctx) {
      const match = index.match(ctx.path);
      if (!match) return decide(ctx, 404, "openapi.unknown-path", "path", "", ctx.path);
      // HEAD is answered like GET when the document has no separate HEAD operation.
      const operation = match.value.get(ctx.method) ?? (ctx.method === "HEAD" ? match.value.get("GET") : undefined);
      if (!operation) return decide(ctx, 405, "openapi.method-not-allowed", "method", "", ctx.method, [["allow", [...match.value.keys()].join(", ")]]);
      ctx.openapiOperation = operation;
      return checkParameters(ctx, operation, match.params, decide) ?? checkMediaType(ctx, operation, decide);
    },
    onBody(ctx) {
      const operation = ctx.openapiOperation as CompiledOperation | null;
      const content = ctx.content ?? ctx.body;
      if (!operation || operation.body === null || content === null || content.length === 0) return null;
      const media = findMedia(operation.body, ctx.mediaType);
      if (!media || media.validate === null) return null;
      let document: unknown;
      if (isJsonType(media.type)) {
        try {
          document = JSON.parse(content.toString("utf8"));
        } catch {
          return decide(ctx, 400, "openapi.body-syntax", "body", "", "invalid JSON");
        }
      } else if (media.type === "application/x-www-form-urlencoded") {
        const pairs = decodeFormPairs(content.toString("latin1"), MAX_QUERY_PAIRS);
        if (pairs === null) return decide(ctx, 400, "openapi.body-syntax", "body", "", "invalid form encoding");
        const form: Record<string, unknown> = {};
        for (const [n, v] of pairs) form[n] = coerce(v, media.kinds.get(n) ?? "string");
        document = form;
      } else return null;
      const error = media.validate(document, "");
      return error === null ? null : decide(ctx, 400, "openapi.body-schema", "body", pointerOf(error), error);
    },
  };
}

function compileOperation(
  operation: Operation,
  compileSchema: (schema: unknown) => Validate,
  resolve: (s: unknown) => Record<string, unknown> | null,
): CompiledOperation {
  const compiled: CompiledOperation = {
    operationId: operation.operationId,
    template: operation.template,
    query: [],
    queryNames: new Set(),
    openQuery: false,
    path: [],
    header: [],
    cookie: [],
    body: null,
  };
  const queryNames = new Set<string>();
  for (const parameter of operation.parameters) {
    const schema = parameter.schema;
    const resolved = resolve(schema);
    const propertyKinds = new Map<string, ValueKind>();
    for (const [name, sub] of Object.entries((resolved?.properties as Record<string, unknown> | undefined) ?? {}))
      propertyKinds.set(name, kindOf(sub, resolve));
    const shape: ParameterShape = {
      name: parameter.in === "header" ? parameter.name.toLowerCase() : parameter.name,
      in: parameter.in,
      style: parameter.style,
      explode: parameter.explode,
      kind: kindOf(schema, resolve),
      itemKind: kindOf(resolved?.items, resolve),
      propertyKinds,
    };
    const entry: CompiledParameter = { shape, required: parameter.required, schema, validate: schema === null ? null : compileSchema(schema) };
    compiled[parameter.in].push(entry);
    if (parameter.in === "query") {
      queryNames.add(parameter.name);
      if (shape.kind === "object") compiled.openQuery = true;
    }
  }
  compiled.queryNames = queryNames;
  if (operation.requestBody !== null) {
    compiled.body = {
      required: operation.requestBody.required,
      media: Object.entries(operation.requestBody.content).map(([type, schema]) => {
        const resolved = resolve(schema);
        const kinds = new Map<string, ValueKind>();
        for (const [name, sub] of Object.entries((resolved?.properties as Record<string, unknown> | undefined) ?? {})) kinds.set(name, kindOf(sub, resolve));
        return { type: type.toLowerCase().split(";")[0]!.trim(), schema, validate: schema === null ? null : compileSchema(schema), kinds };
      }),
    };
  }
  return compiled;
}

type Decide = (ctx: RequestContext, status: number, ruleId: string, part: string, name: string, excerpt: string) => Decision | null;

function checkParameters(ctx: RequestContext, operation: CompiledOperation, pathParams: Record<string, string>, decide: Decide): Decision | null {
  for (const parameter of operation.path) {
    const raw = pathParams[parameter.shape.name];
    if (raw === undefined) return decide(ctx, 400, "openapi.parameter-missing", "path", parameter.shape.name, "");
    const error = parameter.validate?.(readScalarStyle(raw, parameter.shape), "") ?? null;
    if (error !== null) return decide(ctx, 400, "openapi.parameter-invalid", "path", parameter.shape.name, error);
  }
  if (ctx.query.length > 0 || operation.query.some((p) => p.required)) {
    const pairs = decodeFormPairs(ctx.query, MAX_QUERY_PAIRS);
    if (pairs === null) return decide(ctx, 400, "openapi.query-syntax", "query", "", ctx.query);
    const consumed = new Set<string>();
    for (const parameter of operation.query) {
      const { value, consumed: names } = readQueryParameter(pairs, parameter.shape);
      for (const n of names) consumed.add(n);
      if (value === undefined) {
        if (parameter.required) return decide(ctx, 400, "openapi.parameter-missing", "parameter", parameter.shape.name, "");
        continue;
      }
      const error = parameter.validate?.(value, "") ?? null;
      if (error !== null) return decide(ctx, 400, "openapi.parameter-invalid", "parameter", parameter.shape.name, error);
    }
    for (const [name] of pairs) {
      if (!consumed.has(name) && !operation.queryNames.has(name)) return decide(ctx, 400, "openapi.unknown-parameter", "parameter", name, name);
    }
  }
  for (const parameter of operation.header) {
    const raw = ctx.header(parameter.shape.name);
    if (raw === undefined) {
      if (parameter.required) return decide(ctx, 400, "openapi.parameter-missing", "header", parameter.shape.name, "");
      continue;
    }
    const error = parameter.validate?.(readScalarStyle(raw, parameter.shape), "") ?? null;
    if (error !== null) return decide(ctx, 400, "openapi.parameter-invalid", "header", parameter.shape.name, error);
  }
  if (operation.cookie.length > 0) {
    const cookies = parseCookies(ctx.header("cookie") ?? "");
    for (const parameter of operation.cookie) {
      const raw = cookies.get(parameter.shape.name);
      if (raw === undefined) {
        if (parameter.required) return decide(ctx, 400, "openapi.parameter-missing", "cookie", parameter.shape.name, "");
        continue;
      }
      const value = parameter.shape.kind === "array" ? raw.split(",").map((v) => coerce(v, parameter.shape.itemKind)) : coerce(raw, parameter.shape.kind);
      const error = parameter.validate?.(value, "") ?? null;
      if (error !== null) return decide(ctx, 400, "openapi.parameter-invalid", "cookie", parameter.shape.name, error);
    }
  }
  return null;
}

function checkMediaType(ctx: RequestContext, operation: CompiledOperation, decide: Decide): Decision | null {
  const body = operation.body;
  if (!ctx.hasBody) {
    return body?.required ? decide(ctx, 400, "openapi.body-missing", "body", "", "") : null;
  }
  if (body === null) return decide(ctx, 400, "openapi.unexpected-body", "body", "", "this operation takes no body");
  if (!findMedia(body, ctx.mediaType)) return decide(ctx, 415, "openapi.media-type", "header", "content-type", ctx.mediaType || "none");
  return null;
}

function findMedia(body: CompiledBody, mediaType: string): CompiledBody["media"][number] | undefined {
  let wildcard: CompiledBody["media"][number] | undefined;
  for (const media of body.media) {
    if (media.type === mediaType) return media;
    if (media.type === "*/*" || (media.type.endsWith("/*") && mediaType.startsWith(media.type.slice(0, -1)))) wildcard ??= media;
  }
  return wildcard;
}

function isJsonType(type: string): boolean {
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

function parseCookies(header: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

function pointerOf(error: string): string {
  const colon = error.indexOf(":");
  return colon > 0 ? error.slice(0, colon) : "";
}
