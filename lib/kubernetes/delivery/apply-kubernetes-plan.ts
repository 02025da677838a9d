import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { getDeliveryTargetSecrets } from "@/lib/delivery/get-delivery-target-secrets";
import { AppError } from "@/lib/errors/app-error";
import type { KubernetesResource } from "@/lib/kubernetes/render/kubernetes-resource";
import type { DeliverySource } from "./kubernetes-delivery-schemas";
import { loadDeliveryTarget } from "./load-delivery-target";
import { recordKubernetesApply } from "./record-kubernetes-apply";
import { renderTargetResources } from "./render-target-resources";

/**
 * Applies a plan with server-side apply (field manager "rampart"), resource by resource,
 * and records each one's result in one transaction after the cluster calls, so the
 * record says exactly what the cluster took: all of it, part of it (which failed and
 * why), and nothing at all is an error with nothing recorded. A plan whose published
 * policy has changed since it was made is refused (409): plan again and review the new
 * diff first.
 */
export async function applyKubernetesPlan({ ctx, targetId, planId }: { ctx: RequestContext; targetId: string; planId: string }) {
  const actor = requirePermission(ctx, "delivery:manage");
  const target = await loadDeliveryTarget({ actor, id: targetId, kinds: ["kubernetes"], live: true });
  const plan = await db.kubernetesPlan.findFirst({
    where: { id: planId, targetId: target.id },
    select: { id: true, renderedHash: true, resources: true, sources: true },
  });
  if (!plan) throw new AppError("NOT_FOUND", "No such plan for this target.");

  const now = await renderTargetResources({ targetId: target.id });
  if (now.renderedHash !== plan.renderedHash) {
    throw new AppError(
      "CONFLICT",
      "The published policy (or the target) has changed since this plan was made; plan again and review the new diff before applying.",
      {
        details: {
          reason: "plan-outdated",
          planned: versionsOf(plan.sources as DeliverySource[]),
          published: versionsOf(now.sources),
        },
      },
    );
  }

  const { kubeconfig } = await getDeliveryTargetSecrets({ targetId: target.id });
  return recordKubernetesApply({
    ctx,
    actor,
    target,
    planId: plan.id,
    resources: plan.resources as unknown as KubernetesResource[],
    sources: plan.sources as DeliverySource[],
    kubeconfig: kubeconfig!,
    kind: "apply",
  });
}

function versionsOf(sources: readonly DeliverySource[]) {
  return sources.map((s) => ({ application: s.slug, baselineVersion: s.baseline.number, applicationVersion: s.applicationVersion?.number ?? null }));
}
