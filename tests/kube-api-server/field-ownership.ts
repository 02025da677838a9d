// Server-side apply's field ownership (structured-merge-diff, simplified only
// where Rampart's objects never go). Every manager owns a set of paths, each
// path a list of FieldsV1 elements: "f:name" for a map field, "k:{...}" for an
// entry of a list declared x-kubernetes-list-type: map (by its key fields),
// "v:<json>" for a value of a list-type set. Other lists (atomic, the default
// for custom resources, and every list of a built-in kind Rampart touches) and
// maps declared x-kubernetes-map-type: atomic are owned whole.
//
// An apply that changes a field another manager owns is a conflict unless
// forced; an apply that drops a field its manager owned alone removes it (a
// map-list entry goes when nothing of it is left but its keys); entries and
// set values others own stay where they are. An update takes the fields it
// changed from everyone.

import { isDeepStrictEqual } from "node:util";
import { isPlainObject, type JsonObject } from "./json-object.js";
import { isAtomicMap, itemSchema, listTypeOf, propertySchema, type SchemaNode } from "./structural-schema.js";

export { isPlainObject, type JsonObject };

/** One FieldsV1 path element: "f:spec", "k:{\"name\":\"x\"}", "v:\"a\"". */
export type PathElement = string;

export interface ManagerEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  subresource?: string;
  /** Encoded paths (see encodePath): map and list-entry nodes the manager set, and its leaves. */
  fields: Set<string>;
  /** What conflicts are judged on: scalars, atomic lists and maps, set values. */
  leaves: Set<string>;
}

const SEP = "\u0000";
export const encodePath = (path: readonly PathElement[]): string => path.join(SEP);
export const decodePath = (key: string): PathElement[] => (key === "" ? [] : key.split(SEP));

const isWithin = (inner: string, outer: string) => inner === outer || inner.startsWith(outer + SEP);
const overlaps = (a: string, b: string) => isWithin(a, b) || isWithin(b, a);

/** ".spec.rules[name=\"x\"].value", the way the API server names a field in conflicts. */
export function displayPath(key: string): string {
  return decodePath(key)
    .map((element) => {
      if (element.startsWith("f:")) return `.${element.slice(2)}`;
      if (element.startsWith("k:")) {
        const keys = JSON.parse(element.slice(2)) as JsonObject;
        return `[${Object.entries(keys)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(",")}]`;
      }
      return `[=${element.slice(2)}]`;
    })
    .join("");
}

/** Fields the server owns and no manager ever does. */
const SERVER_METADATA = new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "managedFields",
  "selfLink",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
]);

function entryKey(item: unknown, keys: readonly string[]): PathElement {
  const picked: JsonObject = {};
  for (const key of keys) if (isPlainObject(item) && item[key] !== undefined) picked[key] = item[key];
  return `k:${JSON.stringify(picked)}`;
}

/** The paths an object (an applied configuration, or a whole object) sets, as its schema structures them. */
export function fieldSetOf(object: JsonObject, schema: SchemaNode, options: { excludeStatus: boolean }): { fields: Set<string>; leaves: Set<string> } {
  const fields = new Set<string>();
  const leaves = new Set<string>();
  const leaf = (path: PathElement[]) => {
    fields.add(encodePath(path));
    leaves.add(encodePath(path));
  };
  const walk = (value: unknown, node: SchemaNode, path: PathElement[]) => {
    if (isPlainObject(value) && Object.keys(value).length > 0 && !isAtomicMap(node)) {
      // "." markers, as in real fieldsV1, below the top level.
      if (path.length > 1) fields.add(encodePath(path));
      for (const [key, child] of Object.entries(value)) walk(child, propertySchema(node, key), [...path, `f:${key}`]);
      return;
    }
    if (Array.isArray(value) && value.length > 0) {
      const listType = listTypeOf(node);
      if (listType.kind === "set") {
        for (const item of value) leaf([...path, `v:${JSON.stringify(item)}`]);
        return;
      }
      if (listType.kind === "map") {
        const items = itemSchema(node);
        for (const item of value) {
          const entry = [...path, entryKey(item, listType.keys)];
          fields.add(encodePath(entry));
          if (isPlainObject(item)) for (const [key, child] of Object.entries(item)) walk(child, propertySchema(items, key), [...entry, `f:${key}`]);
        }
        return;
      }
    }
    leaf(path);
  };
  for (const [key, value] of Object.entries(object)) {
    if (key === "apiVersion" || key === "kind") continue;
    if (key === "status" && options.excludeStatus) continue;
    if (key === "metadata" && isPlainObject(value)) {
      const meta = propertySchema(schema, "metadata", true);
      for (const [metaKey, metaValue] of Object.entries(value))
        if (!SERVER_METADATA.has(metaKey)) walk(metaValue, propertySchema(meta, metaKey), ["f:metadata", `f:${metaKey}`]);
      continue;
    }
    walk(value, propertySchema(schema, key, true), [`f:${key}`]);
  }
  return { fields, leaves };
}

function matchesKey(item: unknown, element: PathElement): boolean {
  const keys = JSON.parse(element.slice(2)) as JsonObject;
  return isPlainObject(item) && Object.entries(keys).every(([k, v]) => isDeepStrictEqual(item[k], v));
}

/** The value at a FieldsV1 path (a plain key list also works: each key is taken as "f:key"). */
export function getAt(object: unknown, path: readonly PathElement[]): unknown {
  let current = object;
  for (const raw of path) {
    const element = /^[fkv]:/.test(raw) ? raw : `f:${raw}`;
    if (element.startsWith("f:")) {
      const key = element.slice(2);
      if (!isPlainObject(current) || !(key in current)) return undefined;
      current = current[key];
    } else if (element.startsWith("k:")) {
      if (!Array.isArray(current)) return undefined;
      current = current.find((item) => matchesKey(item, element));
      if (current === undefined) return undefined;
    } else {
      const value = JSON.parse(element.slice(2)) as unknown;
      if (!Array.isArray(current) || !current.some((item) => isDeepStrictEqual(item, value))) return undefined;
      current = value;
    }
  }
  return current;
}

/** Sets a value, creating maps, list entries (with their key fields) and set values on the way. */
export function setAt(object: JsonObject, path: readonly PathElement[], value: unknown): void {
  let current: unknown = object;
  path.forEach((element, index) => {
    const last = index === path.length - 1;
    const next = path[index + 1];
    const container = () => (next !== undefined && !next.startsWith("f:") ? [] : {});
    if (element.startsWith("f:")) {
      const key = element.slice(2);
      const map = current as JsonObject;
      if (last) map[key] = structuredClone(value);
      else {
        const wanted = next!.startsWith("f:") ? "object" : "array";
        if (wanted === "object" ? !isPlainObject(map[key]) : !Array.isArray(map[key])) map[key] = container();
        current = map[key];
      }
    } else if (element.startsWith("k:")) {
      const list = current as unknown[];
      let item = list.find((candidate) => matchesKey(candidate, element));
      if (item === undefined) {
        item = structuredClone(JSON.parse(element.slice(2)) as JsonObject);
        list.push(item);
      }
      if (last) Object.assign(item as JsonObject, structuredClone(value as JsonObject));
      current = item;
    } else {
      const list = current as unknown[];
      const item = JSON.parse(element.slice(2)) as unknown;
      if (!list.some((candidate) => isDeepStrictEqual(candidate, item))) list.push(item);
    }
  });
}

/** Removes the value at a path; returns false when the path was not there. */
function removeAt(object: JsonObject, path: readonly PathElement[]): boolean {
  const parent = getAt(object, path.slice(0, -1));
  const element = path[path.length - 1]!;
  if (element.startsWith("f:")) {
    if (!isPlainObject(parent) || !(element.slice(2) in parent)) return false;
    delete parent[element.slice(2)];
    return true;
  }
  if (!Array.isArray(parent)) return false;
  const target = element.startsWith("k:") ? null : (JSON.parse(element.slice(2)) as unknown);
  const index = parent.findIndex((item) => (target === null ? matchesKey(item, element) : isDeepStrictEqual(item, target)));
  if (index < 0) return false;
  parent.splice(index, 1);
  return true;
}

const isEmptyContainer = (value: unknown) => (isPlainObject(value) && Object.keys(value).length === 0) || (Array.isArray(value) && value.length === 0);

/**
 * Removes what a manager no longer applies and nobody else owns: whole nodes (a map, a
 * list entry with the server's defaults inside) where the manager owned the node itself,
 * else single leaves; a key field never goes without its entry. Then maps and lists left
 * empty that nobody keeps (`kept`). Top-level fields (spec, data) are never removed whole.
 */
function removeFields(object: JsonObject, removed: readonly string[], kept: (key: string) => boolean): void {
  const done: string[] = [];
  for (const key of [...removed].sort((a, b) => decodePath(a).length - decodePath(b).length)) {
    if (done.some((parent) => isWithin(key, parent))) continue;
    const path = decodePath(key);
    const parent = path[path.length - 2];
    if (parent?.startsWith("k:") && path[path.length - 1]!.slice(2) in (JSON.parse(parent.slice(2)) as JsonObject)) continue;
    removeAt(object, path);
    done.push(key);
  }
  // Containers emptied by the removals, deepest first.
  const containers = new Set<string>();
  for (const key of done) {
    const path = decodePath(key);
    for (let depth = path.length - 1; depth >= 2; depth--) containers.add(encodePath(path.slice(0, depth)));
  }
  for (const key of [...containers].sort((a, b) => decodePath(b).length - decodePath(a).length)) {
    const path = decodePath(key);
    if (isEmptyContainer(getAt(object, path)) && !kept(key)) removeAt(object, path);
  }
}

export interface ApplyConflict {
  manager: string;
  apiVersion: string;
  field: string;
}

export interface ApplyResult {
  object: JsonObject;
  managers: ManagerEntry[];
  conflicts: ApplyConflict[];
}

const cloneManagers = (managers: readonly ManagerEntry[]) => managers.map((m) => ({ ...m, fields: new Set(m.fields), leaves: new Set(m.leaves) }));

/**
 * Server-side apply of `applied` by `manager` onto `live` (null: the object is new).
 * With conflicts and no force the result carries them and the caller answers 409.
 */
export function serverSideApply(input: {
  live: JsonObject | null;
  managers: readonly ManagerEntry[];
  applied: JsonObject;
  schema: SchemaNode;
  manager: string;
  force: boolean;
  apiVersion: string;
  now: string;
  excludeStatus: boolean;
  subresource?: string;
}): ApplyResult {
  const { fields, leaves } = fieldSetOf(input.applied, input.schema, { excludeStatus: input.excludeStatus });
  const managers = cloneManagers(input.managers);
  const isSelf = (m: ManagerEntry) => m.manager === input.manager && m.operation === "Apply" && m.subresource === input.subresource;
  const changed = [...leaves].filter((leaf) => !isDeepStrictEqual(getAt(input.live, decodePath(leaf)), getAt(input.applied, decodePath(leaf))));
  const conflicts: ApplyConflict[] = [];
  for (const leaf of changed) {
    for (const other of managers) {
      if (isSelf(other)) continue;
      if ([...other.leaves].some((owned) => overlaps(owned, leaf)))
        conflicts.push({ manager: other.manager, apiVersion: other.apiVersion, field: displayPath(leaf) });
    }
  }
  if (conflicts.length > 0 && !input.force) return { object: input.live ?? {}, managers: input.managers.slice(), conflicts };

  // Forced (or no conflict): changed fields leave their previous owners.
  for (const leaf of changed) {
    for (const other of managers) {
      if (isSelf(other)) continue;
      for (const owned of [...other.leaves]) {
        if (overlaps(owned, leaf)) {
          other.leaves.delete(owned);
          other.fields.delete(owned);
        }
      }
    }
  }

  const object: JsonObject = input.live ? structuredClone(input.live) : {};
  const previous = managers.find(isSelf);
  const ownedByOthers = (key: string) => managers.some((m) => !isSelf(m) && [...m.fields].some((owned) => isWithin(owned, key)));
  if (previous) {
    // Dropped from the configuration and nobody else owns it: removed, as the real server does.
    const removed = [...previous.fields].filter((key) => !fields.has(key) && !ownedByOthers(key));
    removeFields(object, removed, (key) => fields.has(key) || [...fields].some((f) => isWithin(f, key)) || ownedByOthers(key));
  }
  // New list entries and set values are appended after the live ones (structured-merge-diff's merge order).
  for (const leaf of leaves) setAt(object, decodePath(leaf), getAt(input.applied, decodePath(leaf)));

  const entry: ManagerEntry = {
    manager: input.manager,
    operation: "Apply",
    apiVersion: input.apiVersion,
    time: input.now,
    ...(input.subresource ? { subresource: input.subresource } : {}),
    fields,
    leaves,
  };
  const rest = managers.filter((m) => !isSelf(m));
  return { object, managers: pruneEmpty(previous ? managers.map((m) => (isSelf(m) ? entry : m)) : [...rest, entry]), conflicts };
}

/** An Update (create, PUT, merge or JSON patch): the manager takes every field it changed, from everyone. */
export function recordUpdate(input: {
  before: JsonObject | null;
  after: JsonObject;
  managers: readonly ManagerEntry[];
  schema: SchemaNode;
  manager: string;
  apiVersion: string;
  now: string;
  excludeStatus: boolean;
  subresource?: string;
}): ManagerEntry[] {
  const options = { excludeStatus: input.excludeStatus };
  const after = fieldSetOf(input.after, input.schema, options);
  const before = input.before ? fieldSetOf(input.before, input.schema, options) : { fields: new Set<string>(), leaves: new Set<string>() };
  const changed = new Set<string>();
  for (const leaf of after.leaves) {
    const path = decodePath(leaf);
    if (!before.leaves.has(leaf) || !isDeepStrictEqual(getAt(input.before, path), getAt(input.after, path))) changed.add(leaf);
  }
  const removed = [...before.leaves].filter((leaf) => !after.leaves.has(leaf));
  const managers = cloneManagers(input.managers);
  for (const m of managers) {
    for (const leaf of [...m.leaves]) {
      if ([...changed, ...removed].some((c) => overlaps(c, leaf))) {
        m.leaves.delete(leaf);
        m.fields.delete(leaf);
      }
    }
  }
  if (changed.size === 0) return pruneEmpty(managers);
  const isSelf = (m: ManagerEntry) => m.manager === input.manager && m.operation === "Update" && m.subresource === input.subresource;
  const mine = managers.find(isSelf);
  const leaves = new Set([...(mine?.leaves ?? []), ...changed]);
  const fields = new Set([...(mine?.fields ?? []), ...changed]);
  for (const leaf of changed) {
    const path = decodePath(leaf);
    for (let depth = 2; depth < path.length; depth++) {
      // Maps and list entries on the way are nodes of the manager's set; list containers are not.
      const next = path[depth]!;
      if (next.startsWith("f:")) fields.add(encodePath(path.slice(0, depth)));
    }
  }
  const entry: ManagerEntry = {
    manager: input.manager,
    operation: "Update",
    apiVersion: input.apiVersion,
    time: input.now,
    ...(input.subresource ? { subresource: input.subresource } : {}),
    fields,
    leaves,
  };
  return pruneEmpty(mine ? managers.map((m) => (isSelf(m) ? entry : m)) : [...managers, entry]);
}

function pruneEmpty(managers: ManagerEntry[]): ManagerEntry[] {
  return managers.filter((m) => m.leaves.size > 0);
}

/** metadata.managedFields as the API server renders them (fieldsType FieldsV1; "." for a node owned as such). */
export function renderManagedFields(managers: readonly ManagerEntry[]): JsonObject[] {
  return managers.map((m) => {
    const tree: JsonObject = {};
    for (const key of [...m.fields].sort()) {
      let node = tree;
      for (const element of decodePath(key)) {
        if (!isPlainObject(node[element])) node[element] = {};
        node = node[element] as JsonObject;
      }
      if (!m.leaves.has(key)) node["."] = {};
    }
    return {
      manager: m.manager,
      operation: m.operation,
      apiVersion: m.apiVersion,
      time: m.time,
      fieldsType: "FieldsV1",
      fieldsV1: tree,
      ...(m.subresource ? { subresource: m.subresource } : {}),
    };
  });
}
