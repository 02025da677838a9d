// Server-side apply of rendered resources (field manager "rampart"), one by
// one in the apply order (lib/kubernetes/render/apply-order.ts), each with its
// own result: created, configured, unchanged, failed (with the classified
// error) or skipped (the cluster is unreachable or refused the credentials, so
// the rest is not attempted). A kind defined in the same batch — by a CRD, or
// by a Gatekeeper ConstraintTemplate, whose constraint kind Gatekeeper
// defines some seconds later — is waited for until the cluster serves it.
// Transient failures are retried with backoff; SSA is idempotent, so a
// retried apply after a dropped connection cannot apply twice. dryRun sends
// dryRun=All: the server validates and answers as if applied, stores nothing.
import "server-only";
import type { KubernetesObject } from "@kubernetes/client-node";
import { classifyKubeError, ClusterError, type ClusterErrorInfo } from "./cluster-error";
import { withoutServerFields } from "./compare-objects";
import { createKubeClient, FIELD_MANAGER, PatchStrategy, toClientObject, toWireObject, type KubeClient } from "./kube-client";
import { definitionOf } from "@/lib/kubernetes/render/apply-order";
import { readLiveObject } from "./read-live-object";
import { applyOrder, refOf, type ClusterResource, type ResourceRef } from "./resource-ref";
import { RetriesExhausted, retryTransient, type RetryOptions } from "./retry-transient";
import { isDeepStrictEqual } from "node:util";

export type ApplyOutcome = "created" | "configured" | "unchanged" | "failed" | "skipped";

export interface ApplyResourceResult {
  ref: ResourceRef;
  outcome: ApplyOutcome;
  /** The object's resourceVersion after the apply (absent for dry runs and failures). */
  resourceVersion: string | null;
  /** Requests made for this resource, retries included. */
  attempts: number;
  error: ClusterErrorInfo | null;
}

export interface ApplyResourcesResult {
  ok: boolean;
  dryRun: boolean;
  results: ApplyResourceResult[];
}

export interface ApplyResourcesInput {
  kubeconfig: string;
  resources: readonly ClusterResource[];
  dryRun: boolean;
  /** Take over fields another manager owns (after the user saw the conflict). */
  force?: boolean;
  retry?: RetryOptions;
  /** How long a kind defined in this batch may take to be served (default 60 s; Gatekeeper takes seconds). */
  definitionTimeoutMs?: number;
}

/** Errors after which nothing else can succeed either. */
const FATAL = new Set(["invalid-kubeconfig", "egress-refused", "unreachable", "tls", "unauthorized"]);

export async function applyResources(input: ApplyResourcesInput): Promise<ApplyResourcesResult> {
  let client: KubeClient;
  try {
    client = createKubeClient(input.kubeconfig);
  } catch (error) {
    const info = classifyKubeError(error).toInfo();
    return {
      ok: false,
      dryRun: input.dryRun,
      results: input.resources.map((r) => ({ ref: refOf(r), outcome: "skipped", resourceVersion: null, attempts: 0, error: info })),
    };
  }
  const ordered = applyOrder(input.resources);
  const results: ApplyResourceResult[] = [];
  let fatal: ClusterErrorInfo | null = null;
  for (const resource of ordered) {
    const ref = refOf(resource);
    if (fatal) {
      results.push({ ref, outcome: "skipped", resourceVersion: null, attempts: 0, error: fatal });
      continue;
    }
    const defined = definitionOf(ordered, resource) !== null;
    const retry = { ...input.retry, isRetryable: (e: ClusterError) => e.kind === "missing-kind" && defined };
    let attempts = 0;
    try {
      if (defined && !input.dryRun) attempts += await waitForKind(client, resource, input.definitionTimeoutMs ?? 60_000);
      const live = await readLiveObject(client, resource, retry);
      attempts += live.attempts;
      const applied = await retryTransient(
        () =>
          client.objects.patch<KubernetesObject>(
            toClientObject(resource),
            undefined,
            input.dryRun ? "All" : undefined,
            FIELD_MANAGER,
            input.force ? true : undefined,
            PatchStrategy.ServerSideApply,
          ),
        { ...retry, ref, server: client.server },
      );
      attempts += applied.attempts;
      const after = toWireObject(applied.value) as { metadata?: { resourceVersion?: string } };
      const before = live.object as { metadata?: { resourceVersion?: string } } | null;
      let outcome: ApplyOutcome;
      if (before === null) outcome = "created";
      else if (input.dryRun) outcome = isDeepStrictEqual(withoutServerFields(before), withoutServerFields(after)) ? "unchanged" : "configured";
      else outcome = before.metadata?.resourceVersion === after.metadata?.resourceVersion ? "unchanged" : "configured";
      results.push({ ref, outcome, resourceVersion: input.dryRun ? null : (after.metadata?.resourceVersion ?? null), attempts, error: null });
    } catch (raw) {
      const error = raw instanceof RetriesExhausted ? raw.error : classifyKubeError(raw, { ref, server: client.server });
      attempts += raw instanceof RetriesExhausted ? raw.attempts : 1;
      results.push({ ref, outcome: "failed", resourceVersion: null, attempts, error: error.toInfo() });
      if (FATAL.has(error.kind)) fatal = error.toInfo();
    }
  }
  return { ok: results.every((r) => r.outcome !== "failed" && r.outcome !== "skipped"), dryRun: input.dryRun, results };
}

/**
 * Polls until the cluster serves the resource's kind (its CRD established, or
 * Gatekeeper's constraint CRD created from the template), backing off to 2 s between
 * looks; returns the requests made. Gives up with missing-kind after `timeoutMs`.
 */
async function waitForKind(client: KubeClient, resource: ClusterResource, timeoutMs: number): Promise<number> {
  const ref = refOf(resource);
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      // A list of at most one object: the cheapest request that needs the kind to be served.
      await client.objects.list(resource.apiVersion, resource.kind, resource.metadata.namespace, undefined, undefined, undefined, undefined, undefined, 1);
      return attempt;
    } catch (raw) {
      const error = classifyKubeError(raw, { ref, server: client.server });
      if (error.kind !== "missing-kind" && error.kind !== "not-found" && !error.transient) throw new RetriesExhausted(error, attempt);
    }
    if (Date.now() >= deadline) {
      throw new RetriesExhausted(
        new ClusterError(
          "missing-kind",
          `${client.server} did not serve ${resource.apiVersion} (${resource.kind}) within ${Math.round(timeoutMs / 1000)} s of applying its definition`,
          404,
        ),
        attempt,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** (attempt - 1))));
  }
}
