// JSON Schema (draft 2020-12, as z.toJSONSchema writes it) → the OpenAPI v3
// *structural* schema a CustomResourceDefinition needs. Kubernetes refuses a
// CRD whose schema is not structural, and prunes or rejects what it cannot
// express, so every construct is translated explicitly and anything unknown
// throws: a silently dropped constraint would let an invalid policy through.
//
// The rules (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema):
// every node has a type (or x-kubernetes-preserve-unknown-fields /
// x-kubernetes-int-or-string); no $ref; `properties` and `additionalProperties`
// never together; additionalProperties is never false; nullable instead of
// null types; anyOf/oneOf/allOf may only restate value validations of fields
// the outer node already declares; no const, prefixItems, or uniqueItems.

import { resolveLocalRef } from "@/lib/policy-spec";

export type JsonSchema = Record<string, unknown>;

const KNOWN_FORMATS = new Set([
  "date-time",
  "date",
  "uri",
  "email",
  "hostname",
  "ipv4",
  "ipv6",
  "uuid",
  "byte",
  "int32",
  "int64",
  "double",
  "float",
  "password",
]);
/** Keywords copied unchanged when present. */
const VALUE_KEYWORDS = ["description", "enum", "pattern", "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "multipleOf"];
/** Keywords that carry nothing Kubernetes can use (titles, ids, zod's safe-integer bounds handled separately). */
const DROPPED_KEYWORDS = new Set(["$schema", "$id", "$defs", "definitions", "title", "default", "examples", "propertyNames", "uniqueItems", "id"]);
const HANDLED_KEYWORDS = new Set([
  ...VALUE_KEYWORDS,
  ...DROPPED_KEYWORDS,
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "prefixItems",
  "anyOf",
  "oneOf",
  "allOf",
  "const",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "$ref",
  "nullable",
]);

const PRESERVE = "x-kubernetes-preserve-unknown-fields";

export interface StructuralSchemaOptions {
  /** How deep $ref may be followed before a recursive schema becomes preserve-unknown-fields. */
  maxRefDepth?: number;
}

export function toStructuralSchema(schema: JsonSchema, options: StructuralSchemaOptions = {}): JsonSchema {
  return convert(schema, { root: schema, refDepth: 0, maxRefDepth: options.maxRefDepth ?? 8, path: "#" });
}

interface Context {
  root: JsonSchema;
  refDepth: number;
  maxRefDepth: number;
  path: string;
}

function fail(context: Context, message: string): never {
  throw new Error(`cannot express ${context.path} in a structural schema: ${message}`);
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function convert(input: unknown, context: Context): JsonSchema {
  if (input === true) return { [PRESERVE]: true };
  if (!isObject(input)) fail(context, `unexpected schema ${JSON.stringify(input)}`);
  for (const key of Object.keys(input)) {
    if (!HANDLED_KEYWORDS.has(key)) fail(context, `unsupported keyword "${key}"`);
  }

  if (typeof input.$ref === "string") {
    if (context.refDepth >= context.maxRefDepth) return withDescription({ type: "object", [PRESERVE]: true }, input);
    const target = resolveRef(context.root, input.$ref) ?? fail(context, `unresolvable $ref ${input.$ref}`);
    const { $ref: _ref, ...rest } = input;
    void _ref;
    return convert({ ...target, ...rest }, { ...context, refDepth: context.refDepth + 1 });
  }

  const unions = (["anyOf", "oneOf"] as const).filter((key) => Array.isArray(input[key]));
  if (unions.length > 1) fail(context, "both anyOf and oneOf");
  if (unions.length === 1) return convertUnion(input, unions[0]!, context);
  if (Array.isArray(input.allOf)) {
    const { allOf, ...rest } = input;
    return convert(
      (allOf as JsonSchema[]).reduce<JsonSchema>((merged, part) => mergeAll(merged, part, context), rest),
      context,
    );
  }

  let nullable = input.nullable === true;
  let type = input.type;
  if (Array.isArray(type)) {
    const nonNull = type.filter((entry) => entry !== "null");
    nullable ||= nonNull.length < type.length;
    if (nonNull.length !== 1) fail(context, `type ${JSON.stringify(type)}`);
    type = nonNull[0];
  }
  let enumValues = input.enum as unknown[] | undefined;
  if ("const" in input) enumValues = [input.const];
  if (enumValues?.includes(null)) {
    nullable = true;
    enumValues = enumValues.filter((value) => value !== null);
  }
  if (type === "null") fail(context, "a schema that only admits null");

  const output: JsonSchema = {};
  for (const key of VALUE_KEYWORDS) if (key in input && key !== "enum") output[key] = input[key];
  if (enumValues) output.enum = enumValues;
  if (type === undefined && enumValues && enumValues.length > 0) type = jsonType(enumValues[0]);
  if (typeof input.format === "string" && KNOWN_FORMATS.has(input.format)) output.format = input.format;
  convertBounds(input, output);

  if (type === "object" || (type === undefined && (isObject(input.properties) || "additionalProperties" in input))) {
    output.type = "object";
    convertObject(input, output, context);
  } else if (type === "array" || (type === undefined && ("items" in input || "prefixItems" in input))) {
    output.type = "array";
    convertArray(input, output, context);
  } else if (typeof type === "string") {
    output.type = type;
  } else {
    // z.unknown(), z.any(): any JSON value is allowed here, and only this keyword lets Kubernetes keep it.
    output[PRESERVE] = true;
  }
  if (nullable) output.nullable = true;
  return orderKeys(output);
}

function withDescription(schema: JsonSchema, source: JsonSchema): JsonSchema {
  return typeof source.description === "string" ? { description: source.description, ...schema } : schema;
}

function jsonType(value: unknown): string {
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return "object";
}

// zod writes ±Number.MAX_SAFE_INTEGER for z.int(); they say nothing and Kubernetes' int64 covers them.
function convertBounds(input: JsonSchema, output: JsonSchema) {
  const keep = (value: unknown) => typeof value === "number" && Math.abs(value) < Number.MAX_SAFE_INTEGER;
  if (keep(input.minimum)) output.minimum = input.minimum;
  if (keep(input.maximum)) output.maximum = input.maximum;
  // OpenAPI 3.0 (what Kubernetes speaks) has boolean exclusive bounds next to minimum/maximum.
  if (typeof input.exclusiveMinimum === "number") Object.assign(output, { minimum: input.exclusiveMinimum, exclusiveMinimum: true });
  if (typeof input.exclusiveMaximum === "number") Object.assign(output, { maximum: input.exclusiveMaximum, exclusiveMaximum: true });
}

function convertObject(input: JsonSchema, output: JsonSchema, context: Context) {
  const properties = isObject(input.properties) ? input.properties : undefined;
  if (properties) {
    output.properties = Object.fromEntries(
      Object.entries(properties).map(([name, schema]) => [name, convert(schema, { ...context, path: `${context.path}/properties/${name}` })]),
    );
    if (Array.isArray(input.required) && input.required.length > 0) output.required = input.required;
    // additionalProperties: false is the default meaning of a structural schema (unknown fields are pruned).
    if (isObject(input.additionalProperties) && Object.keys(input.additionalProperties).length > 0) {
      fail(context, "properties together with a schema for additional properties");
    }
    return;
  }
  const additional = input.additionalProperties;
  if (additional === undefined || additional === true || (isObject(additional) && Object.keys(additional).length === 0)) {
    output[PRESERVE] = true;
  } else if (isObject(additional)) {
    output.additionalProperties = convert(additional, { ...context, path: `${context.path}/additionalProperties` });
  } else {
    // An object that admits no field at all.
    output.properties = {};
  }
}

function convertArray(input: JsonSchema, output: JsonSchema, context: Context) {
  if (Array.isArray(input.prefixItems)) {
    // Tuples become arrays of the union of their element schemas with a fixed length.
    const elements = input.prefixItems.map((schema, index) => convert(schema, { ...context, path: `${context.path}/prefixItems/${index}` }));
    output.items = elements.reduce((merged, element) => mergeVariant(merged, element, context));
    output.minItems ??= elements.length;
    output.maxItems ??= elements.length;
    return;
  }
  output.items = input.items === undefined || input.items === true ? { [PRESERVE]: true } : convert(input.items, { ...context, path: `${context.path}/items` });
}

function convertUnion(input: JsonSchema, keyword: "anyOf" | "oneOf", context: Context): JsonSchema {
  const { [keyword]: variantsRaw, ...outer } = input;
  const variants = variantsRaw as unknown[];
  const isNull = (variant: unknown) =>
    isObject(variant) && (variant.type === "null" || (Array.isArray(variant.enum) && variant.enum.length === 1 && variant.enum[0] === null));
  const nonNull = variants.filter((variant) => !isNull(variant));
  const nullable = nonNull.length < variants.length || outer.nullable === true;
  if (nonNull.length === 0) fail(context, "a union of null only");

  const converted = nonNull.map((variant, index) => convert({ ...(variant as JsonSchema) }, { ...context, path: `${context.path}/${keyword}/${index}` }));
  let merged: JsonSchema;
  if (converted.length === 1) {
    merged = converted[0]!;
  } else if (converted.every((variant) => variant.type === "object" && isObject(variant.properties))) {
    merged = mergeObjectVariants(converted, context);
  } else {
    merged = converted.reduce((left, right) => mergeVariant(left, right, context));
  }
  const result: JsonSchema = { ...merged };
  if (typeof outer.description === "string") result.description = outer.description;
  if (nullable) result.nullable = true;
  return orderKeys(result);
}

/**
 * A discriminated union of objects: one object with every variant's fields,
 * required where all variants require them, plus a oneOf that restates each
 * variant's discriminator and required fields (allowed in a structural schema
 * because it only adds value validation on declared fields).
 */
function mergeObjectVariants(variants: JsonSchema[], context: Context): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const variant of variants) {
    for (const [name, schema] of Object.entries(variant.properties as Record<string, JsonSchema>)) {
      properties[name] = properties[name] ? mergeVariant(properties[name]!, schema, { ...context, path: `${context.path}/properties/${name}` }) : schema;
    }
  }
  const requiredSets = variants.map((variant) => new Set((variant.required as string[] | undefined) ?? []));
  const required = [...requiredSets[0]!].filter((name) => requiredSets.every((set) => set.has(name)));
  const branches = variants.map((variant) => {
    const branch: JsonSchema = {};
    const enums = Object.entries(variant.properties as Record<string, JsonSchema>).filter(([, schema]) => Array.isArray(schema.enum));
    if (enums.length > 0) branch.properties = Object.fromEntries(enums.map(([name, schema]) => [name, { enum: schema.enum }]));
    if (Array.isArray(variant.required) && variant.required.length > 0) branch.required = variant.required;
    return branch;
  });
  const merged: JsonSchema = { type: "object", properties };
  if (required.length > 0) merged.required = required;
  if (branches.some((branch) => Object.keys(branch).length > 0)) merged.oneOf = branches;
  return merged;
}

/** The loosest schema admitting both: enums are unioned, differing constraints on the same type are dropped. */
function mergeVariant(left: JsonSchema, right: JsonSchema, context: Context): JsonSchema {
  if (JSON.stringify(left) === JSON.stringify(right)) return left;
  if (left.type !== right.type) {
    const types = new Set([left.type, right.type]);
    if (types.has("integer") && types.has("string") && types.size === 2) return { "x-kubernetes-int-or-string": true };
    fail(context, `a union of ${String(left.type)} and ${String(right.type)}`);
  }
  const merged: JsonSchema = { type: left.type };
  if (Array.isArray(left.enum) && Array.isArray(right.enum)) merged.enum = [...new Set([...left.enum, ...right.enum])];
  if (left.type === "array") merged.items = mergeVariant(left.items as JsonSchema, right.items as JsonSchema, context);
  if (left.type === "object") {
    if (isObject(left.properties) && isObject(right.properties)) return mergeObjectVariants([left, right], context);
    merged[PRESERVE] = true;
  }
  if (left.nullable || right.nullable) merged.nullable = true;
  return merged;
}

function mergeAll(left: JsonSchema, right: JsonSchema, context: Context): JsonSchema {
  if (!isObject(right)) fail(context, "allOf with a non-object member");
  const merged: JsonSchema = { ...left, ...right };
  if (isObject(left.properties) || isObject(right.properties)) {
    merged.properties = { ...(left.properties as JsonSchema | undefined), ...(right.properties as JsonSchema | undefined) };
  }
  const required = [...((left.required as string[]) ?? []), ...((right.required as string[]) ?? [])];
  if (required.length > 0) merged.required = [...new Set(required)];
  return merged;
}

function resolveRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (ref === "#") return root;
  const target = resolveLocalRef(root, ref);
  return isObject(target) ? target : undefined;
}

const KEY_ORDER = [
  "description",
  "type",
  "format",
  "nullable",
  "enum",
  "pattern",
  "minimum",
  "exclusiveMinimum",
  "maximum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "multipleOf",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "oneOf",
  PRESERVE,
  "x-kubernetes-int-or-string",
];

/** A fixed key order keeps the generated CRD file stable and readable. */
function orderKeys(schema: JsonSchema): JsonSchema {
  const ordered: JsonSchema = {};
  for (const key of KEY_ORDER) if (key in schema) ordered[key] = schema[key];
  for (const key of Object.keys(schema)) if (!(key in ordered)) ordered[key] = schema[key];
  return ordered;
}
