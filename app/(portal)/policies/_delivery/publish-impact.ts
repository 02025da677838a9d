import "server-only";
import { can, canForTeam, type Actor } from "@/lib/auth/actor";
import { currentRequestContext } from "@/lib/next/current-actor";
import { findDeliveryTargets } from "@/lib/delivery/find-delivery-targets";
import { getDeliveryRollout } from "@/lib/delivery/get-delivery-rollout";
import { diffPolicyVersions } from "@/lib/policies/diff-policy-versions";
import type { PublishImpact } from "@/components/policies/publish-confirmation";

// What publishing an approved version will do, composed for the confirmation: the change
// against the version in force, and each target it reaches — proxies (with how many live
// instances will load it at their next poll), clusters and repositories (which change only
// when the security team applies or exports). A baseline reaches the targets of its
// environment (the baseline for every environment: every target without one of its own).
export async function publishImpact({
  actor,
  policy,
  version,
}: {
  actor: Actor;
  policy: {
    id: string;
    kind: "baseline" | "application";
    environment: string | null;
    application: { id: string; slug: string; teamId: string } | null;
    publishedVersion: { id: string; number: number } | null;
  };
  version: { id: string; number: number };
}): Promise<PublishImpact> {
  const change = policy.publishedVersion
    ? await diffPolicyVersions({ actor, policyId: policy.id, toId: version.id, fromId: policy.publishedVersion.id }).then((d) => d.summary)
    : null;
  const readable = policy.application ? canForTeam(actor, "delivery:read", policy.application.teamId) : can(actor, "delivery:read");
  if (!readable) return { inForce: policy.publishedVersion?.number ?? null, change, targets: null };
  const ctx = await currentRequestContext();
  const { items } = await findDeliveryTargets({ ctx, query: { revoked: "false", ...(policy.application ? { applicationId: policy.application.id } : {}) } });
  const reached = policy.kind === "baseline" && policy.environment !== null ? items.filter((t) => t.environment === policy.environment) : items;
  const rollout = reached.some((t) => t.kind === "proxy") ? await getDeliveryRollout({ ctx }) : null;
  const staleAfterMs = (rollout?.staleAfterSeconds ?? 30) * 1000;
  return {
    inForce: policy.publishedVersion?.number ?? null,
    change,
    targets: reached.map((target) => {
      if (target.kind !== "proxy") {
        return {
          id: target.id,
          name: target.name,
          kind: target.kind,
          where: target.kind === "kubernetes" ? target.namespaces.join(", ") : (target.branch ?? ""),
          liveInstances: null,
        };
      }
      const instances = rollout?.targets.find((t) => t.id === target.id)?.instances ?? [];
      const live = instances.filter((i) => Date.parse(rollout!.generatedAt) - Date.parse(i.lastSeenAt) <= staleAfterMs).length;
      return { id: target.id, name: target.name, kind: target.kind, where: target.mode ?? "", liveInstances: live };
    }),
  };
}
