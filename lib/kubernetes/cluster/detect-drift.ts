// Drift: read back what Rampart applied and compare the fields Rampart set
// (every field of the applied resource, lists as a whole) with the cluster's
// values. Fields others added beside them are theirs and not drift. A field
// another manager now owns is named with that manager, so the user knows who
// changed it (kubectl edit, a controller) before re-applying with force.
import "server-only";
import { isDeepStrictEqual } from "node:util";
import { classifyKubeError, type ClusterErrorInfo } from "./cluster-error";
import { unifiedYamlDiff, type FieldChange } from "./compare-objects";
import { createKubeClient, FIELD_MANAGER, type KubeClient } from "./kube-client";
import { readLiveObject } from "./read-live-object";
import { refOf, type ClusterResource, type ResourceRef } from "./resource-ref";
import { RetriesExhausted, type RetryOptions } from "./retry-transient";

export interface DriftResult {
  ref: ResourceRef;
  state: "in-sync" | "drifted" | "missing" | "error";
  /** before = what the cluster holds, after = what Rampart applied. */
  changes: FieldChange[];
  text: string;
  /** Other field managers that own fields Rampart applied. */
  changedBy: string[];
  error: ClusterErrorInfo | null;
}

export interface DetectDriftInput {
  kubeconfig: string;
  applied: readonly ClusterResource[];
  retry?: RetryOptions;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);
const isEmpty = (value: unknown) => value === undefined || (isObject(value) && Object.keys(value).length === 0) || (Array.isArray(value) && value.length === 0);

/** Leaves of the applied resource: [path segments, value]; lists and empty maps are leaves. */
function leaves(value: unknown, path: string[] = []): Array<[string[], unknown]> {
  if (isObject(value) && Object.keys(value).length > 0) return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [[path, value]];
}

function at(object: unknown, path: readonly string[]): unknown {
  let current = object;
  for (const key of path) {
    if (!isObject(current) || !(key in current)) return undefined;
    current = current[key];
  }
  return current;
}

const display = (path: readonly string[]) => path.map((p, i) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? (i === 0 ? p : `.${p}`) : `[${p}]`)).join("");

/** Paths (as "f:a/f:b") in a managedFields entry's fieldsV1. */
function ownedPaths(fields: unknown, prefix: string[] = []): string[][] {
  if (!isObject(fields)) return [];
  const keys = Object.keys(fields).filter((k) => k.startsWith("f:"));
  if (keys.length === 0) return [prefix];
  return keys.flatMap((k) => ownedPaths(fields[k], [...prefix, k.slice(2)]));
}

export async function detectDrift(input: DetectDriftInput): Promise<{ ok: boolean; results: DriftResult[] }> {
  let client: KubeClient;
  try {
    client = createKubeClient(input.kubeconfig);
  } catch (error) {
    const info = classifyKubeError(error).toInfo();
    return { ok: false, results: input.applied.map((r) => ({ ref: refOf(r), state: "error", changes: [], text: "", changedBy: [], error: info })) };
  }
  const results: DriftResult[] = [];
  for (const resource of input.applied) {
    const ref = refOf(resource);
    try {
      const { object: live } = await readLiveObject(client, resource, input.retry ?? {});
      if (live === null) {
        results.push({ ref, state: "missing", changes: [], text: "", changedBy: [], error: null });
        continue;
      }
      const changes: FieldChange[] = [];
      const expected: Json = {};
      const actual: Json = {};
      for (const [path, want] of leaves(resource)) {
        if (path[0] === "apiVersion" || path[0] === "kind" || path[0] === "status") continue;
        if (path[0] === "metadata" && (path[1] === "name" || path[1] === "namespace")) continue;
        const have = at(live, path);
        if (isDeepStrictEqual(have, want) || (isEmpty(want) && isEmpty(have))) continue;
        changes.push({ path: display(path), change: have === undefined ? "removed" : "changed", before: have, after: want });
        setPath(expected, path, want);
        if (have !== undefined) setPath(actual, path, have);
      }
      const managers = Array.isArray((live.metadata as Json | undefined)?.managedFields) ? ((live.metadata as Json).managedFields as Json[]) : [];
      const changedBy = new Set<string>();
      for (const entry of managers) {
        if (entry.manager === FIELD_MANAGER && entry.operation === "Apply") continue;
        for (const owned of ownedPaths(entry.fieldsV1)) {
          if (changes.some((c) => c.path === display(owned) || c.path.startsWith(`${display(owned)}.`) || c.path.startsWith(`${display(owned)}[`))) changedBy.add(String(entry.manager));
        }
      }
      results.push({
        ref,
        state: changes.length === 0 ? "in-sync" : "drifted",
        changes,
        text: changes.length === 0 ? "" : unifiedYamlDiff(actual, expected, { before: "cluster", after: "applied by rampart" }),
        changedBy: [...changedBy].sort(),
        error: null,
      });
    } catch (raw) {
      const error = raw instanceof RetriesExhausted ? raw.error : classifyKubeError(raw, { ref, server: client.server });
      results.push({ ref, state: "error", changes: [], text: "", changedBy: [], error: error.toInfo() });
    }
  }
  return { ok: results.every((r) => r.state === "in-sync"), results };
}

function setPath(target: Json, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as Json;
  }
  node[path[path.length - 1]!] = value;
}
