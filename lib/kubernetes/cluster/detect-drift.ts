// Drift: compare what Rampart owns, the way GitOps tools with server-side
// apply do. For each resource the cluster answers a server-side dry-run apply
// of what Rampart applied (field manager rampart, forced, so the answer is the
// object as Rampart's apply would leave it); the fields that answer says
// Rampart owns (its managedFields: per map field, per list-type map entry, per
// set value) are compared with the live object. What the server defaulted
// inside lists, what it converted (a Secret's stringData into data) and what
// other managers added beside Rampart's entries are therefore never drift; an
// owned field another manager changed (kubectl edit, a controller) is, and the
// managers that own it now are named, so the user knows who did it before
// re-applying with force.
import "server-only";
import type { KubernetesObject } from "@kubernetes/client-node";
import { isDeepStrictEqual } from "node:util";
import { classifyKubeError, type ClusterErrorInfo } from "./cluster-error";
import { unifiedYamlDiff, type FieldChange } from "./compare-objects";
import { createKubeClient, FIELD_MANAGER, PatchStrategy, toClientObject, toWireObject, type KubeClient } from "./kube-client";
import { displayFieldPath, managedFieldsOf, ownedLeaves, projectPaths, valueAt, type FieldPath } from "./managed-fields";
import { readLiveObject } from "./read-live-object";
import { refOf, type ClusterResource, type ResourceRef } from "./resource-ref";
import { RetriesExhausted, retryTransient, type RetryOptions } from "./retry-transient";

export interface DriftResult {
  ref: ResourceRef;
  state: "in-sync" | "drifted" | "missing" | "error";
  /** before = what the cluster holds, after = what Rampart's apply would make it. */
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

/**
 * Where an owned field's value lives: a Secret's stringData is write-only (the server
 * merges it into data and stores no stringData), so what Rampart wrote there is read
 * back from data, in both the live object and the dry run; managed fields keep naming
 * stringData.
 */
function storedPath(resource: ClusterResource, path: FieldPath): FieldPath {
  if (resource.apiVersion === "v1" && resource.kind === "Secret" && path[0] === "f:stringData" && path.length === 2) return ["f:data", path[1]!];
  return path;
}

const overlaps = (a: FieldPath, b: FieldPath) => {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return false;
  return true;
};

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
      const dry = await retryTransient(
        () => client.objects.patch<KubernetesObject>(toClientObject(resource), undefined, "All", FIELD_MANAGER, true, PatchStrategy.ServerSideApply),
        { ...input.retry, ref, server: client.server },
      );
      const desired = toWireObject(dry.value);
      const owned = ownedLeaves(managedFieldsOf(desired, FIELD_MANAGER)).map((path) => storedPath(resource, path));
      const changes: FieldChange[] = [];
      const changed: FieldPath[] = [];
      for (const path of owned) {
        const have = valueAt(live, path);
        const want = valueAt(desired, path);
        if (isDeepStrictEqual(have, want)) continue;
        changed.push(path);
        changes.push({
          path: displayFieldPath(path),
          change: have === undefined ? "removed" : want === undefined ? "added" : "changed",
          before: have,
          after: want,
        });
      }
      const managers = Array.isArray((live.metadata as Json | undefined)?.managedFields) ? ((live.metadata as Json).managedFields as Json[]) : [];
      const changedBy = new Set<string>();
      for (const entry of managers) {
        if (entry.manager === FIELD_MANAGER && entry.operation === "Apply") continue;
        const theirs = ownedLeaves((entry.fieldsV1 ?? null) as Json | null);
        if (theirs.some((path) => changed.some((c) => overlaps(path, c)))) changedBy.add(String(entry.manager));
      }
      results.push({
        ref,
        state: changes.length === 0 ? "in-sync" : "drifted",
        changes,
        text:
          changes.length === 0
            ? ""
            : unifiedYamlDiff(projectPaths(live, changed), projectPaths(desired, changed), { before: "cluster", after: "applied by rampart" }),
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
