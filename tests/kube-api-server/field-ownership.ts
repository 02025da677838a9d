// Server-side apply's field ownership (structured-merge-diff, simplified only
// where Rampart's objects never go): every manager owns a set of field paths;
// lists are atomic (the default for custom resources and for RBAC rules and
// subjects), maps are granular. An apply that changes a field another manager
// owns is a conflict unless forced; an apply that drops a field its manager
// owned alone removes it; an update takes the fields it changed from everyone.

import { isDeepStrictEqual } from "node:util";

export type JsonObject = Record<string, unknown>;
export type FieldPath = readonly string[];

export interface ManagerEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  subresource?: string;
  /** Encoded paths (see encodePath); map nodes the manager set are included, leaves are what conflicts are judged on. */
  fields: Set<string>;
  leaves: Set<string>;
}

const SEP = "\u0000";
export const encodePath = (path: FieldPath): string => path.join(SEP);
export const decodePath = (key: string): string[] => (key === "" ? [] : key.split(SEP));
/** ".spec.bundle.contentHash", the way the API server names a field in conflicts. */
export const displayPath = (key: string): string => decodePath(key).map((p) => `.${p}`).join("");

/** Fields the server owns and no manager ever does. */
const SERVER_METADATA = new Set(["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"]);

export function isPlainObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The paths an object (an applied configuration, or a whole object) sets; `status` excluded when it is a subresource. */
export function fieldSetOf(object: JsonObject, options: { excludeStatus: boolean }): { fields: Set<string>; leaves: Set<string> } {
  const fields = new Set<string>();
  const leaves = new Set<string>();
  const walk = (value: unknown, path: string[]) => {
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      if (path.length > 1) fields.add(encodePath(path)); // "." markers, as in real fieldsV1, below the top level
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
      return;
    }
    fields.add(encodePath(path));
    leaves.add(encodePath(path));
  };
  for (const [key, value] of Object.entries(object)) {
    if (key === "apiVersion" || key === "kind") continue;
    if (key === "status" && options.excludeStatus) continue;
    if (key === "metadata" && isPlainObject(value)) {
      for (const [metaKey, metaValue] of Object.entries(value)) if (!SERVER_METADATA.has(metaKey)) walk(metaValue, ["metadata", metaKey]);
      continue;
    }
    walk(value, [key]);
  }
  return { fields, leaves };
}

export function getAt(object: unknown, path: FieldPath): unknown {
  let current = object;
  for (const key of path) {
    if (!isPlainObject(current) || !(key in current)) return undefined;
    current = current[key];
  }
  return current;
}

export function setAt(object: JsonObject, path: FieldPath, value: unknown): void {
  let current = object;
  for (const key of path.slice(0, -1)) {
    if (!isPlainObject(current[key])) current[key] = {};
    current = current[key] as JsonObject;
  }
  current[path[path.length - 1]!] = structuredClone(value);
}

/** Deletes a field, then any map it leaves empty (unless `keep` says another manager owns that map). */
export function deleteAt(object: JsonObject, path: FieldPath, keep: (path: string) => boolean): void {
  const parents: JsonObject[] = [];
  let current: unknown = object;
  for (const key of path.slice(0, -1)) {
    if (!isPlainObject(current)) return;
    parents.push(current);
    current = current[key];
  }
  if (!isPlainObject(current)) return;
  delete current[path[path.length - 1]!];
  for (let depth = path.length - 1; depth >= 1; depth--) {
    const node = getAt(object, path.slice(0, depth));
    if (!isPlainObject(node) || Object.keys(node).length > 0 || keep(encodePath(path.slice(0, depth))) || depth === 1) break;
    delete (parents[depth - 1] as JsonObject)[path[depth - 1]!];
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

/**
 * Server-side apply of `applied` by `manager` onto `live` (null: the object is new).
 * With conflicts and no force the result carries them and the caller answers 409.
 */
export function serverSideApply(input: {
  live: JsonObject | null;
  managers: readonly ManagerEntry[];
  applied: JsonObject;
  manager: string;
  force: boolean;
  apiVersion: string;
  now: string;
  excludeStatus: boolean;
  subresource?: string;
}): ApplyResult {
  const { fields, leaves } = fieldSetOf(input.applied, { excludeStatus: input.excludeStatus });
  const managers = input.managers.map((m) => ({ ...m, fields: new Set(m.fields), leaves: new Set(m.leaves) }));
  const isSelf = (m: ManagerEntry) => m.manager === input.manager && m.operation === "Apply" && m.subresource === input.subresource;
  const conflicts: ApplyConflict[] = [];
  for (const leaf of leaves) {
    const path = decodePath(leaf);
    const same = isDeepStrictEqual(getAt(input.live, path), getAt(input.applied, path));
    if (same) continue;
    for (const other of managers) {
      if (isSelf(other)) continue;
      const owned = other.leaves.has(leaf) || [...other.leaves].some((l) => leaf.startsWith(l + SEP) || l.startsWith(leaf + SEP));
      if (owned) conflicts.push({ manager: other.manager, apiVersion: other.apiVersion, field: displayPath(leaf) });
    }
  }
  if (conflicts.length > 0 && !input.force) return { object: input.live ?? {}, managers: input.managers.slice(), conflicts };

  // Forced (or no conflict): changed fields leave their previous owners.
  for (const leaf of leaves) {
    const path = decodePath(leaf);
    if (isDeepStrictEqual(getAt(input.live, path), getAt(input.applied, path))) continue;
    for (const other of managers) {
      if (isSelf(other)) continue;
      for (const owned of [...other.leaves]) {
        if (owned === leaf || owned.startsWith(leaf + SEP) || leaf.startsWith(owned + SEP)) {
          other.leaves.delete(owned);
          other.fields.delete(owned);
        }
      }
    }
  }

  const object: JsonObject = input.live ? structuredClone(input.live) : {};
  const previous = managers.find(isSelf);
  const ownedByOthers = (key: string) => managers.some((m) => !isSelf(m) && m.fields.has(key));
  if (previous) {
    for (const leaf of previous.leaves) {
      if (leaves.has(leaf) || ownedByOthers(leaf)) continue;
      // Dropped from the configuration and nobody else owns it: removed, as the real server does.
      deleteAt(object, decodePath(leaf), (key) => fields.has(key) || ownedByOthers(key));
    }
  }
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

/** An Update (create, PUT, merge patch): the manager takes every field it changed, from everyone. */
export function recordUpdate(input: {
  before: JsonObject | null;
  after: JsonObject;
  managers: readonly ManagerEntry[];
  manager: string;
  apiVersion: string;
  now: string;
  excludeStatus: boolean;
  subresource?: string;
}): ManagerEntry[] {
  const after = fieldSetOf(input.after, { excludeStatus: input.excludeStatus });
  const before = input.before ? fieldSetOf(input.before, { excludeStatus: input.excludeStatus }) : { fields: new Set<string>(), leaves: new Set<string>() };
  const changed = new Set<string>();
  for (const leaf of after.leaves) {
    const path = decodePath(leaf);
    if (!before.leaves.has(leaf) || !isDeepStrictEqual(getAt(input.before, path), getAt(input.after, path))) changed.add(leaf);
  }
  const removed = [...before.leaves].filter((leaf) => !after.leaves.has(leaf));
  const managers = input.managers.map((m) => ({ ...m, fields: new Set(m.fields), leaves: new Set(m.leaves) }));
  for (const m of managers) {
    for (const leaf of [...m.leaves]) {
      const touched = [...changed, ...removed].some((c) => c === leaf || leaf.startsWith(c + SEP) || c.startsWith(leaf + SEP));
      if (touched) {
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
    for (let depth = 2; depth < path.length; depth++) fields.add(encodePath(path.slice(0, depth)));
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

/** metadata.managedFields as the API server renders them (fieldsType FieldsV1, "f:" keys, "." for a map set as such). */
export function renderManagedFields(managers: readonly ManagerEntry[]): JsonObject[] {
  return managers.map((m) => {
    const tree: JsonObject = {};
    for (const key of [...m.fields].sort()) {
      const path = decodePath(key);
      let node = tree;
      for (const segment of path) {
        const name = `f:${segment}`;
        if (!isPlainObject(node[name])) node[name] = {};
        node = node[name] as JsonObject;
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
