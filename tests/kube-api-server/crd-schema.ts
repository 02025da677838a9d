// A CRD version's openAPIV3Schema as the API server uses it: unknown fields
// are pruned (unless x-kubernetes-preserve-unknown-fields), non-nullable nulls
// dropped and defaults filled (structural-schema.ts), then the object is
// validated (OpenAPI with ajv, then the CEL rules) and every failure becomes a
// Status cause with the field path ("spec.bundle.rules[0].id") and the reason
// the real server gives.

import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { celViolations } from "./cel-validation.js";
import { type JsonObject } from "./json-object.js";
import type { StatusCause } from "./kube-status.js";
import { normaliseCustomResource, undeclaredFields } from "./structural-schema.js";

const EXTENSIONS = [
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-int-or-string",
  "x-kubernetes-embedded-resource",
  "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys",
  "x-kubernetes-map-type",
  "x-kubernetes-validations",
];

function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, verbose: true });
  addFormats(ajv);
  for (const format of ["int32", "int64", "float", "double", "byte", "binary", "password", "quantity", "cidr"]) ajv.addFormat(format, true);
  ajv.addVocabulary(EXTENSIONS);
  return ajv;
}

export interface CompiledCrdSchema {
  /** The openAPIV3Schema itself (server-side apply reads its list and map types). */
  schema: JsonObject;
  /** A copy pruned, null-cleaned and defaulted, as it would be stored. */
  normalise(object: JsonObject): JsonObject;
  /** Fields server-side apply refuses (".spec.foo"): the schema does not declare them. */
  undeclared(object: JsonObject): string[];
  /** `old`: the stored object on update (CEL transition rules). */
  validate(object: JsonObject, old: JsonObject | null): StatusCause[];
}

export function compileCrdSchema(schema: JsonObject): CompiledCrdSchema {
  let validator: ValidateFunction;
  try {
    validator = newAjv().compile(schema);
  } catch (error) {
    throw new Error(`openAPIV3Schema does not compile: ${(error as Error).message}`);
  }
  return {
    schema,
    normalise(object) {
      const copy = structuredClone(object);
      normaliseCustomResource(copy, schema);
      return copy;
    },
    undeclared: (object) => undeclaredFields(object, schema),
    validate(object, old) {
      // The server validates ObjectMeta itself; the schema speaks for the rest.
      const valid = validator({ ...object, metadata: {} });
      const causes = valid ? [] : (validator.errors ?? []).filter((e) => !e.instancePath.startsWith("/metadata")).map(toCause);
      // CEL rules run only on an object that passed the OpenAPI checks, as on the real server.
      return causes.length > 0 ? causes : celViolations(object, schema, old);
    },
  };
}

/** "/spec/rules/0/id" → "spec.rules[0].id" */
export function fieldPath(instancePath: string, extra?: string): string {
  const segments = instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (extra !== undefined) segments.push(extra);
  let path = "";
  for (const segment of segments) path += /^\d+$/.test(segment) ? `[${segment}]` : path === "" ? segment : `.${segment}`;
  return path;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return `[]interface {}{...}`;
  if (typeof value === "object") return `map[string]interface {}{...}`;
  return String(value);
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function toCause(error: ErrorObject): StatusCause {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "required") {
    return { reason: "FieldValueRequired", message: "Required value", field: fieldPath(error.instancePath, String(params.missingProperty)) };
  }
  const field = fieldPath(error.instancePath);
  const value = error.data;
  switch (error.keyword) {
    case "type":
      return {
        reason: "FieldValueTypeInvalid",
        message: `Invalid value: "${typeName(value)}": ${field} in body must be of type ${String(params.type)}: "${typeName(value)}"`,
        field,
      };
    case "enum":
      return {
        reason: "FieldValueNotSupported",
        message: `Unsupported value: ${describe(value)}: supported values: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
        field,
      };
    case "pattern":
      return { reason: "FieldValueInvalid", message: `Invalid value: ${describe(value)}: ${field} in body should match '${String(params.pattern)}'`, field };
    case "minLength":
      return {
        reason: "FieldValueInvalid",
        message: `Invalid value: ${describe(value)}: ${field} in body should be at least ${String(params.limit)} chars long`,
        field,
      };
    case "maxLength":
      return { reason: "FieldValueTooLong", message: `Too long: may not be more than ${String(params.limit)} bytes`, field };
    case "minimum":
      return {
        reason: "FieldValueInvalid",
        message: `Invalid value: ${describe(value)}: ${field} in body should be greater than or equal to ${String(params.limit)}`,
        field,
      };
    case "maximum":
      return {
        reason: "FieldValueInvalid",
        message: `Invalid value: ${describe(value)}: ${field} in body should be less than or equal to ${String(params.limit)}`,
        field,
      };
    case "maxItems":
      return {
        reason: "FieldValueTooMany",
        message: `Too many: ${Array.isArray(value) ? value.length : "?"}: must have at most ${String(params.limit)} items`,
        field,
      };
    default:
      return { reason: "FieldValueInvalid", message: `Invalid value: ${describe(value)}: ${field} in body ${error.message ?? "is invalid"}`, field };
  }
}
