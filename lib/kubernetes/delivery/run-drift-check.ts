import "server-only";
import type { RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db as defaultDb, type Db } from "@/lib/db/client";
import { getDeliveryTargetSecrets } from "@/lib/delivery/get-delivery-target-secrets";
import { AppError } from "@/lib/errors/app-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import { detectDrift } from "@/lib/kubernetes/cluster/detect-drift";
import type { KubernetesResource } from "@/lib/kubernetes/render/kubernetes-resource";
import { asClusterResources } from "./as-cluster-resources";
import { clusterFailure } from "./cluster-failure";
import { driftCheckSelect, toDriftCheckView } from "./kubernetes-delivery-records";
import type { ApplyResultView, KubernetesDriftCheckView } from "./kubernetes-delivery-schemas";
import { refKey, refOfResource } from "./load-delivery-target";
import { resourceKey } from "./render-target-resources";

const APPLIED = new Set(["created", "configured", "unchanged"]);
// Errors that say nothing about the resources, only that the cluster could not be asked.
const CLUSTER_WIDE = new Set(["invalid-kubeconfig", "egress-refused", "unreachable", "tls", "unauthorized", "transient"]);

/**
 * Reads back what Rampart applied last to a target (the resources of its latest apply
 * that the cluster took) and compares them with the cluster: per resource in-sync,
 * drifted (with the diff and who changed it) or missing. Recorded either way, except a
 * manual check of a cluster that could not be asked at all: that is the caller's error.
 * A manual check (`ctx`) is audited with its result; the sweep's are not (they would fill
 * the trail with "in sync" every few minutes), their records being their trace.
 */
export async function runDriftCheck({
  db = defaultDb,
  targetId,
  trigger,
  checkedById,
  ctx,
}: {
  db?: Db;
  targetId: string;
  trigger: "manual" | "scheduled";
  checkedById: string | null;
  ctx?: RequestContext;
}): Promise<KubernetesDriftCheckView> {
  const target = await db.deliveryTarget.findUnique({ where: { id: targetId }, select: { id: true, kind: true } });
  if (!target || target.kind !== "kubernetes") throw new AppError("NOT_FOUND", "No such Kubernetes target.");
  const last = await db.kubernetesApply.findFirst({
    where: { targetId },
    orderBy: { createdAt: "desc" },
    select: { id: true, results: true, plan: { select: { resources: true } } },
  });
  if (!last) throw new AppError("CONFLICT", "Nothing has been applied to this target yet, so there is nothing to compare: plan and apply first.");

  const appliedKeys = new Set((last.results as ApplyResultView[]).filter((r) => APPLIED.has(r.outcome)).map((r) => refKey(r.ref)));
  const applied = (last.plan.resources as unknown as KubernetesResource[]).filter((r) => appliedKeys.has(resourceKey(r)));
  const byKey = new Map(applied.map((resource) => [resourceKey(resource), resource]));

  let state: KubernetesDriftCheckView["state"];
  let error: string | null = null;
  let results: KubernetesDriftCheckView["results"] = [];
  try {
    const { kubeconfig } = await getDeliveryTargetSecrets({ targetId });
    const drift = await detectDrift({ kubeconfig: kubeconfig!, applied: asClusterResources(applied), retry: trigger === "scheduled" ? { attempts: 2 } : {} });
    results = drift.results.map((r) => ({
      ref: refOfResource(
        byKey.get(refKey(r.ref)) ?? {
          apiVersion: r.ref.apiVersion,
          kind: r.ref.kind,
          metadata: { name: r.ref.name, ...(r.ref.namespace ? { namespace: r.ref.namespace } : {}) },
        },
      ),
      state: r.state,
      changes: r.changes,
      text: r.text,
      changedBy: r.changedBy,
      error: r.error ? { kind: r.error.kind, status: r.error.status, message: r.error.message } : null,
    }));
    const errored = drift.results.filter((r) => r.error);
    const clusterWide = errored.length > 0 && errored.length === drift.results.length && CLUSTER_WIDE.has(errored[0]!.error!.kind);
    if (clusterWide && trigger === "manual") throw clusterFailure(errored[0]!.error!, { action: "The drift check" });
    if (errored.length > 0) {
      state = "error";
      error = errored[0]!.error!.message;
    } else {
      state = results.some((r) => r.state !== "in-sync") ? "drifted" : "in-sync";
    }
  } catch (caught) {
    // The sweep records why it could not check (a missing key, a broken kubeconfig); a person asking gets the error.
    if (trigger === "manual" || !(caught instanceof AppError)) throw caught;
    state = "error";
    error = caught.message;
  }

  const record = await db.$transaction(async (tx) => {
    const created = await tx.kubernetesDriftCheck.create({
      data: {
        targetId,
        applyId: last.id,
        trigger,
        state,
        results: results as unknown as Prisma.InputJsonValue,
        error,
        checkedById,
      },
      select: driftCheckSelect,
    });
    if (ctx) {
      await recordAuditEvent(tx, ctx, {
        action: "delivery.kubernetes.drift-check",
        target: { type: "delivery-target", id: targetId },
        summary: {
          driftCheckId: created.id,
          applyId: last.id,
          state,
          drifted: results
            .filter((r) => r.state !== "in-sync")
            .map((r) => `${r.ref.kind} ${r.ref.namespace ? `${r.ref.namespace}/` : ""}${r.ref.name}: ${r.state}`),
        },
      });
    }
    return created;
  });
  return toDriftCheckView(record);
}
