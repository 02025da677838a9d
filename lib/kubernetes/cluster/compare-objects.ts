// Comparing what Rampart means with what a cluster holds: server-managed
// fields are set aside, then the difference is given both as a list of field
// changes (for tables and counts) and as a unified diff of the YAML (for a
// reviewer reading it before an apply).

import { isDeepStrictEqual } from "node:util";
import { stringify } from "yaml";

type Json = Record<string, unknown>;

export interface FieldChange {
  /** "spec.bundle.contentHash", "metadata.labels[app.kubernetes.io/managed-by]", "spec.rules[0].verbs" */
  path: string;
  change: "added" | "removed" | "changed";
  before?: unknown;
  after?: unknown;
}

const SERVER_METADATA = [
  "managedFields",
  "resourceVersion",
  "generation",
  "uid",
  "creationTimestamp",
  "selfLink",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
];

const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

/** A plain JSON copy (client-node hands back Dates for built-in kinds) without the fields the server owns. */
export function withoutServerFields(object: unknown): Json {
  const copy = JSON.parse(JSON.stringify(object ?? {})) as Json;
  delete copy.status;
  if (isObject(copy.metadata)) {
    for (const key of SERVER_METADATA) delete copy.metadata[key];
    for (const key of ["labels", "annotations"]) {
      if (isObject(copy.metadata[key]) && Object.keys(copy.metadata[key]).length === 0) delete copy.metadata[key];
    }
  }
  return copy;
}

function segment(path: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${key}]`;
}

/** Field-level changes from `before` to `after` (lists compared item by item). */
export function diffObjects(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const changes: FieldChange[] = [];
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const child = segment(path, key);
      if (!(key in after)) changes.push({ path: child, change: "removed", before: before[key] });
      else if (!(key in before)) changes.push({ path: child, change: "added", after: after[key] });
      else changes.push(...diffObjects(before[key], after[key], child));
    }
    return changes;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const changes: FieldChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const child = `${path}[${i}]`;
      if (i >= after.length) changes.push({ path: child, change: "removed", before: before[i] });
      else if (i >= before.length) changes.push({ path: child, change: "added", after: after[i] });
      else changes.push(...diffObjects(before[i], after[i], child));
    }
    return changes;
  }
  return [{ path, change: "changed", before, after }];
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}

const toLines = (object: unknown): string[] => (object === null ? [] : stringify(sortKeys(object), { lineWidth: 0 }).trimEnd().split("\n"));

/** A unified diff ("--- live", "+++ rampart", @@ hunks with 3 lines of context) of the two objects as YAML; "" when equal. */
export function unifiedYamlDiff(
  before: unknown | null,
  after: unknown | null,
  labels: { before: string; after: string } = { before: "live", after: "rampart" },
): string {
  const a = toLines(before);
  const b = toLines(after);
  // LCS table over lines: objects here are at most a few thousand lines.
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: Array<{ op: " " | "-" | "+"; line: string; ai: number; bi: number }> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ op: " ", line: a[i]!, ai: i++, bi: j++ });
    else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({ op: "-", line: a[i]!, ai: i++, bi: j });
    else ops.push({ op: "+", line: b[j]!, ai: i, bi: j++ });
  }
  if (ops.every((o) => o.op === " ")) return "";
  const out = [`--- ${labels.before}`, `+++ ${labels.after}`];
  const context = 3;
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.op === " ") {
      k++;
      continue;
    }
    let start = Math.max(0, k - context);
    let end = k;
    // Extend the hunk while changes are within 2×context of each other.
    while (end < ops.length) {
      if (ops[end]!.op !== " ") {
        end++;
        continue;
      }
      let next = end;
      while (next < ops.length && ops[next]!.op === " ") next++;
      if (next < ops.length && next - end <= context * 2) end = next;
      else break;
    }
    end = Math.min(ops.length, end + context);
    const hunk = ops.slice(start, end);
    const aStart = hunk[0]!.ai + 1;
    const bStart = hunk[0]!.bi + 1;
    const aCount = hunk.filter((o) => o.op !== "+").length;
    const bCount = hunk.filter((o) => o.op !== "-").length;
    out.push(`@@ -${aCount === 0 ? aStart - 1 : aStart},${aCount} +${bCount === 0 ? bStart - 1 : bStart},${bCount} @@`);
    for (const o of hunk) out.push(`${o.op}${o.line}`);
    k = end;
    start = end;
  }
  return `${out.join("\n")}\n`;
}
