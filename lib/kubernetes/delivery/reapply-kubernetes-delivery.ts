import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { getDeliveryTargetSecrets } from "@/lib/delivery/get-delivery-target-secrets";
import { AppError } from "@/lib/errors/app-error";
import type { KubernetesResource } from "@/lib/kubernetes/render/kubernetes-resource";
import type { DeliverySource } from "./kubernetes-delivery-schemas";
import { loadDeliveryTarget } from "./load-delivery-target";
import { recordKubernetesApply } from "./record-kubernetes-apply";
import { runDriftCheck } from "./run-drift-check";

/**
 * Puts back what Rampart applied last, after drift: the same resources, applied with
 * force, so fields another manager took over (kubectl edit, a controller) return to
 * Rampart. Audited as delivery.kubernetes.reapply; a drift check right after shows the
 * result. New published policy is not rolled out this way: that takes a plan.
 */
export async function reapplyKubernetesDelivery({ ctx, targetId }: { ctx: RequestContext; targetId: string }) {
  const actor = requirePermission(ctx, "delivery:manage");
  const target = await loadDeliveryTarget({ actor, id: targetId, kinds: ["kubernetes"], live: true });
  const last = await db.kubernetesApply.findFirst({
    where: { targetId: target.id },
    orderBy: { createdAt: "desc" },
    select: { planId: true, plan: { select: { resources: true, sources: true } } },
  });
  if (!last) throw new AppError("CONFLICT", "Nothing has been applied to this target yet; plan and apply first.");
  const { kubeconfig } = await getDeliveryTargetSecrets({ targetId: target.id });
  const apply = await recordKubernetesApply({
    ctx,
    actor,
    target,
    planId: last.planId,
    resources: last.plan.resources as unknown as KubernetesResource[],
    sources: last.plan.sources as DeliverySource[],
    kubeconfig: kubeconfig!,
    kind: "reapply",
  });
  const driftCheck = await runDriftCheck({ targetId: target.id, trigger: "manual", checkedById: actor.user.id, ctx });
  return { apply, driftCheck };
}
