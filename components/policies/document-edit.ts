// Reading and writing one field of a policy document being edited. Writing returns a new
// document; clearing a field removes it, and any object left empty on the way up, so
// that an application policy's untouched sections stay absent (inherited) rather than {}.

export type Document = Record<string, unknown>;

export function getIn(document: unknown, path: readonly string[]): unknown {
  let value = document;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function setIn(document: Document, path: readonly string[], value: unknown): Document {
  if (path.length === 0) return document;
  const [key, ...rest] = path as [string, ...string[]];
  const child = document[key];
  const next = rest.length === 0 ? value : setIn(isPlainObject(child) ? child : {}, rest, value);
  const copy = { ...document };
  if (next === undefined || (rest.length > 0 && isPlainObject(next) && Object.keys(next).length === 0)) delete copy[key];
  else copy[key] = next;
  return copy;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
