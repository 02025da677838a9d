// Reading metadata.managedFields (FieldsV1): which fields a field manager owns,
// as paths of elements — "f:name" a map field, "k:{...}" the entry of a
// list-type map with those key values, "v:<json>" a value of a list-type set,
// "i:<n>" a list index — and the value an object holds at such a path. This is
// what lets Rampart compare only what it owns, per list entry, instead of
// whole lists that a server defaults into and other managers add to.

import { isDeepStrictEqual } from "node:util";

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

export type FieldPath = readonly string[];

/** The managedFields entry of `manager` for `operation` (the main resource, not a subresource). */
export function managedFieldsOf(object: unknown, manager: string, operation: "Apply" | "Update" = "Apply"): Json | null {
  const entries = (object as { metadata?: { managedFields?: unknown } } | null)?.metadata?.managedFields;
  if (!Array.isArray(entries)) return null;
  const entry = entries.find((e: Json) => e.manager === manager && e.operation === operation && (e.subresource === undefined || e.subresource === ""));
  return entry && isObject(entry.fieldsV1) ? entry.fieldsV1 : null;
}

/** Every owned leaf of a FieldsV1 tree (nodes marked "." are owned too, but their leaves say what was set). */
export function ownedLeaves(fieldsV1: Json | null): FieldPath[] {
  if (!fieldsV1) return [];
  const leaves: string[][] = [];
  const walk = (node: Json, path: string[]) => {
    const children = Object.keys(node).filter((key) => key !== ".");
    if (children.length === 0) {
      if (path.length > 0) leaves.push(path);
      return;
    }
    for (const key of children) walk(isObject(node[key]) ? (node[key] as Json) : {}, [...path, key]);
  };
  walk(fieldsV1, []);
  return leaves;
}

function matchesKey(item: unknown, element: string): boolean {
  const keys = JSON.parse(element.slice(2)) as Json;
  return isObject(item) && Object.entries(keys).every(([k, v]) => isDeepStrictEqual(item[k], v));
}

/** The value at a FieldsV1 path, or undefined when the object does not have it. */
export function valueAt(object: unknown, path: FieldPath): unknown {
  let current = object;
  for (const element of path) {
    const kind = element.slice(0, 2);
    const rest = element.slice(2);
    if (kind === "f:") {
      if (!isObject(current) || !(rest in current)) return undefined;
      current = current[rest];
    } else if (kind === "k:") {
      if (!Array.isArray(current)) return undefined;
      current = current.find((item) => matchesKey(item, element));
      if (current === undefined) return undefined;
    } else if (kind === "v:") {
      const value = JSON.parse(rest) as unknown;
      if (!Array.isArray(current) || !current.some((item) => isDeepStrictEqual(item, value))) return undefined;
      current = value;
    } else if (kind === "i:") {
      if (!Array.isArray(current)) return undefined;
      current = current[Number(rest)];
    } else return undefined;
  }
  return current;
}

/** "spec.request.builtIn.settings.level", "spec.rules[name=a].value", "metadata.finalizers[=x]", "metadata.labels[app.kubernetes.io/name]". */
export function displayFieldPath(path: FieldPath): string {
  let out = "";
  for (const element of path) {
    const kind = element.slice(0, 2);
    const rest = element.slice(2);
    if (kind === "f:") out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(rest) ? (out ? `.${rest}` : rest) : `[${rest}]`;
    else if (kind === "k:") {
      const keys = JSON.parse(rest) as Json;
      out += `[${Object.entries(keys)
        .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
        .join(",")}]`;
    } else if (kind === "v:") out += `[=${rest}]`;
    else out += `[${rest}]`;
  }
  return out;
}

/**
 * The parts of `object` at `paths`, as a nested object a reader can diff: map fields as
 * maps, a list entry as a one-item list holding its key fields and the owned ones.
 */
export function projectPaths(object: unknown, paths: readonly FieldPath[]): Json {
  const out: Json = {};
  for (const path of paths) {
    const value = valueAt(object, path);
    if (value === undefined) continue;
    let node: unknown = out;
    path.forEach((element, index) => {
      const last = index === path.length - 1;
      const kind = element.slice(0, 2);
      const rest = element.slice(2);
      const nextIsList = !last && path[index + 1]!.slice(0, 2) !== "f:";
      if (kind === "f:") {
        const map = node as Json;
        if (last) map[rest] = value;
        else {
          if (map[rest] === undefined) map[rest] = nextIsList ? [] : {};
          node = map[rest];
        }
      } else if (kind === "k:") {
        const list = node as Json[];
        let item = list.find((candidate) => matchesKey(candidate, element));
        if (!item) {
          item = { ...(JSON.parse(rest) as Json) };
          list.push(item);
        }
        node = item;
      } else {
        (node as unknown[]).push(value);
      }
    });
  }
  return out;
}
