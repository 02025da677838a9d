import "server-only";
import type { Actor, RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { applyResources } from "@/lib/kubernetes/cluster/apply-resources";
import type { KubernetesResource } from "@/lib/kubernetes/render/kubernetes-resource";
import { asClusterResources } from "./as-cluster-resources";
import { clusterFailure } from "./cluster-failure";
import { applySelect, auditSources, toApplyView } from "./kubernetes-delivery-records";
import type { ApplyResultView, DeliverySource } from "./kubernetes-delivery-schemas";
import { refKey, refOfResource } from "./load-delivery-target";
import { resourceKey } from "./render-target-resources";

const APPLIED = new Set(["created", "configured", "unchanged"]);

/**
 * Server-side applies `resources` (force: take back fields another manager changed) and
 * records the outcome with its audit event in one transaction, after every cluster call:
 * the record is never ahead of the cluster, and a crash mid-way records nothing the
 * cluster did not take (the next apply converges, server-side apply being idempotent).
 * When not one resource was applied (cluster down, credentials refused, every resource
 * refused) nothing changed and nothing is recorded: the caller gets the cluster's error.
 */
export async function recordKubernetesApply({
  ctx,
  actor,
  target,
  planId,
  resources,
  sources,
  kubeconfig,
  kind,
}: {
  ctx: RequestContext;
  actor: Actor;
  target: { id: string };
  planId: string;
  resources: KubernetesResource[];
  sources: DeliverySource[];
  kubeconfig: string;
  kind: "apply" | "reapply";
}) {
  const outcome = await applyResources({ kubeconfig, resources: asClusterResources(resources), dryRun: false, force: kind === "reapply" });
  const byKey = new Map(resources.map((resource, index) => [resourceKey(resource), { resource, index }]));
  const results: ApplyResultView[] = outcome.results.map((result) => {
    const entry = byKey.get(refKey(result.ref));
    if (!entry) throw new Error(`the cluster answered for ${refKey(result.ref)}, which was not sent`);
    return {
      ref: refOfResource(entry.resource),
      outcome: result.outcome,
      resourceVersion: result.resourceVersion,
      error: result.error ? { kind: result.error.kind, status: result.error.status, message: result.error.message } : null,
    };
  });
  const applied = results.filter((r) => APPLIED.has(r.outcome)).length;
  if (applied === 0 && results.length > 0) {
    const failed = outcome.results.find((r) => r.error)!;
    throw clusterFailure(failed.error!, {
      action: kind === "reapply" ? "The re-apply" : "The apply",
      ref: failed.ref,
      index: byKey.get(refKey(failed.ref))?.index,
      failures: outcome.results.filter((r) => r.outcome === "failed").map((r) => ({ resource: r.ref, error: r.error })),
    });
  }

  return db.$transaction(async (tx) => {
    const record = await tx.kubernetesApply.create({
      data: {
        targetId: target.id,
        planId,
        kind,
        outcome: applied === results.length ? "applied" : "partial",
        results: results as unknown as Prisma.InputJsonValue,
        appliedById: actor.user.id,
      },
      select: applySelect,
    });
    await recordAuditEvent(tx, ctx, {
      action: kind === "reapply" ? "delivery.kubernetes.reapply" : "delivery.kubernetes.apply",
      target: { type: "delivery-target", id: target.id },
      outcome: applied === results.length ? "success" : "failure",
      summary: {
        planId,
        applyId: record.id,
        force: kind === "reapply",
        versions: auditSources(sources),
        results: results.map((r) => ({
          resource: `${r.ref.kind} ${r.ref.namespace ? `${r.ref.namespace}/` : ""}${r.ref.name}`,
          outcome: r.outcome,
          ...(r.error ? { error: r.error.message } : {}),
        })),
      },
    });
    return toApplyView(record);
  });
}
