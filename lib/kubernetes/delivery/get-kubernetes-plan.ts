import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { applicationOf } from "@/lib/kubernetes/gitops/export-sources";
import type { KubernetesResource } from "@/lib/kubernetes/render/kubernetes-resource";
import { visiblePlan } from "./get-kubernetes-delivery";
import { planSelect, toPlanView } from "./kubernetes-delivery-records";
import { loadDeliveryTarget } from "./load-delivery-target";
import { renderTargetResources } from "./render-target-resources";

/** One plan with the resources it would apply, and whether the published policy still renders to them. */
export async function getKubernetesPlan({ actor, targetId, planId }: { actor: Actor; targetId: string; planId: string }) {
  const target = await loadDeliveryTarget({ actor, id: targetId, kinds: ["kubernetes"] });
  const plan = await db.kubernetesPlan.findFirst({ where: { id: planId, targetId: target.id }, select: { ...planSelect, resources: true } });
  if (!plan) throw new AppError("NOT_FOUND", "No such plan for this target.");
  const current = target.revokedAt
    ? false
    : await renderTargetResources({ targetId: target.id }).then(
        (now) => now.renderedHash === plan.renderedHash,
        // The published policy cannot be rendered now (say, no baseline any more): unknown, not an error of this read.
        () => null,
      );
  const resources = (plan.resources as unknown as KubernetesResource[]).filter((r) => target.shows(applicationOf(r)));
  return { ...visiblePlan(toPlanView(plan, current), target), resources };
}
