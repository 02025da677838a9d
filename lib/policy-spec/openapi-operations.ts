// The operations an OpenAPI document declares (path template × method), with their
// parameters, read leniently from a policy's `openapi.spec`: the portal suggests exception
// paths, methods and parameter names, and allowed routes, from them. Pure; a document
// that is not (yet) valid yields what can be read of it.

import { resolveLocalRef } from "./json-pointer";

export type OpenApiOperation = {
  /** The path template, which is also a valid policy path pattern ("/payments/{paymentId}"). */
  path: string;
  method: string;
  operationId: string | null;
  summary: string | null;
  parameters: { name: string; in: "query" | "header" | "path" | "cookie" }[];
};

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
const LOCATIONS = new Set(["query", "header", "path", "cookie"]);

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

export function openApiOperations(spec: unknown): OpenApiOperation[] {
  if (!isObject(spec) || !isObject(spec.paths)) return [];
  const operations: OpenApiOperation[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    if (!path.startsWith("/") || !isObject(item)) continue;
    const shared = parametersOf(spec, item.parameters);
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const own = parametersOf(spec, operation.parameters);
      // An operation's parameter overrides the path item's of the same name and location.
      const parameters = [...own, ...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in))];
      operations.push({
        path,
        method: method.toUpperCase(),
        operationId: typeof operation.operationId === "string" ? operation.operationId : null,
        summary: typeof operation.summary === "string" ? operation.summary : null,
        parameters,
      });
    }
  }
  return operations;
}

function parametersOf(spec: Record<string, unknown>, list: unknown): OpenApiOperation["parameters"] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry) => {
    const parameter = resolve(spec, entry);
    if (!isObject(parameter) || typeof parameter.name !== "string" || typeof parameter.in !== "string" || !LOCATIONS.has(parameter.in)) return [];
    return [{ name: parameter.name, in: parameter.in as OpenApiOperation["parameters"][number]["in"] }];
  });
}

/** A local `$ref` ("#/components/parameters/X"), one level deep; anything else as it is. */
function resolve(spec: Record<string, unknown>, value: unknown): unknown {
  if (!isObject(value) || typeof value.$ref !== "string" || !value.$ref.startsWith("#/")) return value;
  return resolveLocalRef(spec, value.$ref);
}
