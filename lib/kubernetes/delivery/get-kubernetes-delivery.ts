import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { applySelect, driftCheckSelect, planSelect, toApplyView, toDriftCheckView, toPlanView } from "./kubernetes-delivery-records";
import type { KubernetesDeliveryView, KubernetesPlanView } from "./kubernetes-delivery-schemas";
import { loadDeliveryTarget, type LoadedTarget } from "./load-delivery-target";
import { renderTargetResources } from "./render-target-resources";

/**
 * A Kubernetes target's delivery at a glance: its latest plan (and whether the published
 * policy still renders to it), latest apply and latest drift check. A team's reader sees
 * only their own applications' resources in them (and the shared ones).
 */
export async function getKubernetesDelivery({ actor, targetId }: { actor: Actor; targetId: string }): Promise<KubernetesDeliveryView> {
  const target = await loadDeliveryTarget({ actor, id: targetId, kinds: ["kubernetes"] });
  const [plan, apply, driftCheck] = await Promise.all([
    db.kubernetesPlan.findFirst({ where: { targetId: target.id }, orderBy: { createdAt: "desc" }, select: planSelect }),
    db.kubernetesApply.findFirst({ where: { targetId: target.id }, orderBy: { createdAt: "desc" }, select: applySelect }),
    db.kubernetesDriftCheck.findFirst({ where: { targetId: target.id }, orderBy: { createdAt: "desc" }, select: driftCheckSelect }),
  ]);
  // Whether the latest plan can still be applied: the published policy renders to the same resources.
  const current = !plan
    ? null
    : target.revokedAt
      ? false
      : await renderTargetResources({ targetId: target.id }).then(
          (now) => now.renderedHash === plan.renderedHash,
          () => null,
        );
  const applyView = apply ? toApplyView(apply) : null;
  const driftView = driftCheck ? toDriftCheckView(driftCheck) : null;
  return {
    targetId: target.id,
    latestPlan: plan ? visiblePlan(toPlanView(plan, current), target) : null,
    latestApply: applyView ? { ...applyView, results: applyView.results.filter((r) => target.shows(r.ref.application)) } : null,
    latestDriftCheck: driftView ? { ...driftView, results: driftView.results.filter((r) => target.shows(r.ref.application)) } : null,
  };
}

export function visiblePlan<T extends KubernetesPlanView>(plan: T, target: LoadedTarget): T {
  const changes = plan.changes.filter((c) => target.shows(c.ref.application));
  return {
    ...plan,
    changes,
    sources: plan.sources.filter((s) => target.shows(s.slug)),
    excluded: plan.excluded.filter((e) => target.shows(e.slug)),
    notes: plan.notes.filter((n) => target.shows(n.application)),
    summary: {
      create: changes.filter((c) => c.change === "create").length,
      update: changes.filter((c) => c.change === "update").length,
      unchanged: changes.filter((c) => c.change === "unchanged").length,
    },
  };
}
