import { canForTeam, type Actor } from "@/lib/auth/actor";
import { grantOf, scopeOf, type Permission } from "@/lib/auth/permissions";
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
  return holdsThroughRole(actor, "policies:edit", policy, policy.kind === "baseline" ? editors.baseline : editors.fineGrained);
}

/**
 * Whether the actor may publish an approved version of this policy: the security team
 * (org-wide grant) always; otherwise only an application's policy, through a role the
 * accepted architecture lets publish (`publishers`: A and B add the project lead).
 */
export function canPublishPolicy(actor: Actor | null, policy: EditablePolicy, publishers: readonly PolicyEditor[]): boolean {
  if (!actor) return false;
  if (grantOf(actor.grants, "policies:publish").org) return true;
  return policy.kind === "application" && holdsThroughRole(actor, "policies:publish", policy, publishers);
}

/** The actor's grants cover the policy, and a role through which they hold the grant is allowed. */
function holdsThroughRole(actor: Actor | null, permission: Permission, policy: EditablePolicy, allowed: readonly string[]): boolean {
  if (!actor) return false;
  const teamId = policy.kind === "application" ? policy.application?.teamId : undefined;
  if (policy.kind === "application" && !teamId) return false;
  const granted = teamId ? canForTeam(actor, permission, teamId) : grantOf(actor.grants, permission).org;
  if (!granted) return false;
  return actor.memberships.some((membership) => {
    // An API token acts with its own role on its creator's teams (never above the creator:
    // the grants check above is the intersection of both).
    const role = actor.kind === "token" ? (actor.tokenRole ?? "") : membership.role;
    if (!allowed.includes(role)) return false;
    const scope = scopeOf(role, permission);
    return scope === "org" || (scope === "team" && teamId !== undefined && membership.teamId === teamId);
  });
}
