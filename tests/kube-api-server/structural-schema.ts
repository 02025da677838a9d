// What kube-apiserver does with a CRD's structural schema besides validating
// it: on every write it drops nulls a field does not allow, fills `default`s
// (also inside list items and map values), prunes fields the schema does not
// declare (apply refuses them instead, see undeclaredFields), and server-side
// apply reads the list and map types (x-kubernetes-list-type atomic|set|map
// with x-kubernetes-list-map-keys, x-kubernetes-map-type) to merge per entry.
// The order is the real server's: prune unknown fields, prune non-nullable
// nulls without a default, then default (apiextensions-apiserver's
// structural pruning and defaulting packages).
//
// A null schema stands for "no schema" (built-in kinds): maps are granular,
// lists atomic, nothing is pruned or defaulted.

import { isPlainObject, type JsonObject } from "./json-object.js";

export type SchemaNode = JsonObject | null;

const PRESERVE = "x-kubernetes-preserve-unknown-fields";
const EMBEDDED = "x-kubernetes-embedded-resource";

/** ObjectMeta as server-side apply sees it (the CRD schema only says `type: object`). */
export const OBJECT_META_SCHEMA: JsonObject = {
  type: "object",
  properties: {
    name: { type: "string" },
    namespace: { type: "string" },
    generateName: { type: "string" },
    labels: { type: "object", additionalProperties: { type: "string" } },
    annotations: { type: "object", additionalProperties: { type: "string" } },
    finalizers: { type: "array", items: { type: "string" }, "x-kubernetes-list-type": "set" },
    ownerReferences: {
      type: "array",
      items: { type: "object", [PRESERVE]: true },
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["uid"],
    },
  },
  [PRESERVE]: true,
};

export type ListType = { kind: "atomic" } | { kind: "set" } | { kind: "map"; keys: string[] };

/** The schema of `key` inside an object described by `schema` (null: not declared, or no schema at all). */
export function propertySchema(schema: SchemaNode, key: string, root = false): SchemaNode {
  if (root && key === "metadata") return OBJECT_META_SCHEMA;
  if (!schema) return null;
  if (isPlainObject(schema.properties) && isPlainObject(schema.properties[key])) return schema.properties[key] as JsonObject;
  if (isPlainObject(schema.additionalProperties)) return schema.additionalProperties;
  return null;
}

export function itemSchema(schema: SchemaNode): SchemaNode {
  return schema && isPlainObject(schema.items) ? schema.items : null;
}

export function listTypeOf(schema: SchemaNode): ListType {
  const type = schema?.["x-kubernetes-list-type"];
  if (type === "set") return { kind: "set" };
  if (type === "map") {
    const keys = schema!["x-kubernetes-list-map-keys"];
    return { kind: "map", keys: Array.isArray(keys) ? (keys as string[]) : [] };
  }
  return { kind: "atomic" };
}

export function isAtomicMap(schema: SchemaNode): boolean {
  return schema?.["x-kubernetes-map-type"] === "atomic";
}

/** Whether `key` may exist in an object of this schema (declared, or allowed by additionalProperties / preserve-unknown-fields). */
function isDeclared(schema: SchemaNode, key: string): boolean {
  if (!schema) return true;
  if (isPlainObject(schema.properties) && key in schema.properties) return true;
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) return true;
  return schema[PRESERVE] === true || schema[EMBEDDED] === true;
}

const ROOT_FIELDS = new Set(["apiVersion", "kind", "metadata"]);

/**
 * Paths of fields the schema does not declare (".spec.foo", as structured-merge-diff
 * names them). Server-side apply refuses an applied configuration with any; create,
 * update and patch prune them silently.
 */
export function undeclaredFields(object: JsonObject, schema: SchemaNode): string[] {
  const found: string[] = [];
  const walk = (value: unknown, node: SchemaNode, path: string, root: boolean) => {
    if (!node || node[PRESERVE] === true) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, itemSchema(node), `${path}[${index}]`, false));
      return;
    }
    if (!isPlainObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (root && ROOT_FIELDS.has(key)) continue;
      if (!isDeclared(node, key)) found.push(`${path}.${key}`);
      else walk(child, propertySchema(node, key), `${path}.${key}`, false);
    }
  };
  walk(object, schema, "", true);
  return found;
}

/** Removes undeclared fields in place. */
export function pruneUnknown(value: unknown, schema: SchemaNode, root = true): void {
  if (!schema || schema[PRESERVE] === true) return;
  if (Array.isArray(value)) {
    for (const item of value) pruneUnknown(item, itemSchema(schema), false);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const key of Object.keys(value)) {
    if (root && ROOT_FIELDS.has(key)) continue;
    if (!isDeclared(schema, key)) delete value[key];
    else pruneUnknown(value[key], propertySchema(schema, key), false);
  }
}

const hasDefault = (schema: SchemaNode) => schema !== null && schema.default !== undefined;
const isNonNullableNull = (value: unknown, schema: SchemaNode) => value === null && schema !== null && schema.nullable !== true;

/** Drops `null`s of fields that are neither nullable nor defaulted, in place (a client that sends null means "unset"). */
export function pruneNonNullableNulls(value: unknown, schema: SchemaNode): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    for (const item of value) pruneNonNullableNulls(item, itemSchema(schema));
    return;
  }
  if (!isPlainObject(value)) return;
  for (const key of Object.keys(value)) {
    const child = propertySchema(schema, key);
    if (isNonNullableNull(value[key], child) && !hasDefault(child)) delete value[key];
    else pruneNonNullableNulls(value[key], child);
  }
}

/** Fills defaults in place: missing (or non-nullable null) properties, list items and map values. */
export function applyDefaults(value: unknown, schema: SchemaNode): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    const items = itemSchema(schema);
    value.forEach((item, index) => {
      if (isNonNullableNull(item, items) && hasDefault(items)) value[index] = structuredClone(items!.default);
      applyDefaults(value[index], items);
    });
    return;
  }
  if (!isPlainObject(value)) return;
  if (isPlainObject(schema.properties)) {
    for (const [key, property] of Object.entries(schema.properties)) {
      if (!isPlainObject(property) || property.default === undefined) continue;
      if (!(key in value) || isNonNullableNull(value[key], property)) value[key] = structuredClone(property.default);
    }
  }
  for (const key of Object.keys(value)) {
    const declared = isPlainObject(schema.properties) && key in schema.properties;
    const child = propertySchema(schema, key);
    if (!declared && isNonNullableNull(value[key], child) && hasDefault(child)) value[key] = structuredClone(child!.default);
    applyDefaults(value[key], child);
  }
}

/** The whole write-time pipeline for a custom resource (root: the object), in place. */
export function normaliseCustomResource(object: JsonObject, schema: SchemaNode): void {
  pruneUnknown(object, schema);
  pruneNonNullableNulls(object, schema);
  applyDefaults(object, schema);
}
