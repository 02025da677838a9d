// The diff shown before an apply: each resource is applied with dryRun=All
// (so the server fills defaults, prunes and validates exactly as it would)
// and the answer is compared with the live object, server-managed fields set
// aside. A resource the server would refuse (422, a 409 ownership conflict)
// shows that error instead of a diff, so the user sees it before applying.
import "server-only";
import type { KubernetesObject } from "@kubernetes/client-node";
import { classifyKubeError, type ClusterErrorInfo } from "./cluster-error";
import { diffObjects, unifiedYamlDiff, withoutServerFields, type FieldChange } from "./compare-objects";
import { createKubeClient, FIELD_MANAGER, PatchStrategy, toClientObject, toWireObject, type KubeClient } from "./kube-client";
import { readLiveObject } from "./read-live-object";
import { applyOrder, refOf, type ClusterResource, type ResourceRef } from "./resource-ref";
import { RetriesExhausted, retryTransient, type RetryOptions } from "./retry-transient";

export interface ResourceDiff {
  ref: ResourceRef;
  change: "create" | "update" | "none" | "error";
  changes: FieldChange[];
  /** Unified diff of the YAML, live → after the apply ("" when nothing changes). */
  text: string;
  error: ClusterErrorInfo | null;
}

export interface DiffResourcesInput {
  kubeconfig: string;
  resources: readonly ClusterResource[];
  force?: boolean;
  retry?: RetryOptions;
}

export async function diffResources(input: DiffResourcesInput): Promise<{ ok: boolean; diffs: ResourceDiff[] }> {
  let client: KubeClient;
  try {
    client = createKubeClient(input.kubeconfig);
  } catch (error) {
    const info = classifyKubeError(error).toInfo();
    return { ok: false, diffs: input.resources.map((r) => ({ ref: refOf(r), change: "error", changes: [], text: "", error: info })) };
  }
  const diffs: ResourceDiff[] = [];
  for (const resource of applyOrder(input.resources)) {
    const ref = refOf(resource);
    try {
      const live = await readLiveObject(client, resource, input.retry ?? {});
      const dry = await retryTransient(
        () =>
          client.objects.patch<KubernetesObject>(
            toClientObject(resource),
            undefined,
            "All",
            FIELD_MANAGER,
            input.force ? true : undefined,
            PatchStrategy.ServerSideApply,
          ),
        { ...input.retry, ref, server: client.server },
      );
      const before = live.object === null ? null : withoutServerFields(live.object);
      const after = withoutServerFields(toWireObject(dry.value));
      const changes = before === null ? [] : diffObjects(before, after);
      diffs.push({
        ref,
        change: before === null ? "create" : changes.length === 0 ? "none" : "update",
        changes,
        text: unifiedYamlDiff(before, after),
        error: null,
      });
    } catch (raw) {
      const error = raw instanceof RetriesExhausted ? raw.error : classifyKubeError(raw, { ref, server: client.server });
      diffs.push({ ref, change: "error", changes: [], text: "", error: error.toInfo() });
    }
  }
  return { ok: diffs.every((d) => d.error === null), diffs };
}
