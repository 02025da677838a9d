import { canForTeam, type Actor } from "@/lib/auth/actor";
import { grantOf, scopeOf } from "@/lib/auth/permissions";
import type { PolicyEditor } from "@/lib/architecture/architecture-profiles";

// Who may edit which policy. The permission table says who may edit policy at all
// (policies:edit); this narrows it per policy to the roles that edit that kind of policy:
// the baseline by security officers; an application's policy by the editors its accepted
// architecture decision names (lib/architecture: A and B project leads and developers,
// C security officers only), or — without an accepted decision — by the owning team's
// project lead and developers, as the policy issue specifies.

export type PolicyEditors = { baseline: readonly PolicyEditor[]; fineGrained: readonly PolicyEditor[] };

export const DEFAULT_POLICY_EDITORS: PolicyEditors = {
  baseline: ["security-officer"],
  fineGrained: ["project-lead", "developer"],
};

export type EditablePolicy = { kind: "baseline" | "application"; application: { teamId: string } | null };

/**
 * Whether the actor may edit (create drafts of, edit, submit) this policy. Both must hold:
 * the actor's grants cover the policy (team scope for an application's policy, org scope
 * for a baseline), and a role through which they hold that grant is one of the editors.
 */
export function canEditPolicy(actor: Actor | null, policy: EditablePolicy, editors: PolicyEditors = DEFAULT_POLICY_EDITORS): boolean {
  if (!actor) return false;
  const teamId = policy.kind === "application" ? policy.application?.teamId : undefined;
  if (policy.kind === "application" && !teamId) return false;
  const granted = teamId ? canForTeam(actor, "policies:edit", teamId) : grantOf(actor.grants, "policies:edit").org;
  if (!granted) return false;
  const allowed: readonly string[] = policy.kind === "baseline" ? editors.baseline : editors.fineGrained;
  return actor.memberships.some((membership) => {
    // An API token acts with its own role on its creator's teams (never above the creator:
    // the grants check above is the intersection of both).
    const role = actor.kind === "token" ? (actor.tokenRole ?? "") : membership.role;
    if (!allowed.includes(role)) return false;
    const scope = scopeOf(role, "policies:edit");
    return scope === "org" || (scope === "team" && teamId !== undefined && membership.teamId === teamId);
  });
}
