import "server-only";
import { canForTeam, requireActor, type Actor, type RequestContext } from "@/lib/auth/actor";
import { grantOf, type Permission } from "@/lib/auth/permissions";
import { getEffectiveArchitectureForApplication } from "@/lib/architecture/get-effective-architecture";
import type { DbTransaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { PolicyEditor } from "@/lib/architecture/architecture-profiles";
import { canEditPolicy, canPublishPolicy, DEFAULT_POLICY_EDITORS, type EditablePolicy, type PolicyEditors } from "./can-edit-policy";
import type { PolicyAbilities } from "./policy-schemas";

type PolicyWithApplication = EditablePolicy & { application: { id: string; teamId: string } | null };

/**
 * Who edits this policy and who besides the security team publishes its approved versions:
 * what the application's accepted architecture decision says, else the defaults (no
 * publishers besides the security team). One read of the architecture serves both.
 */
async function policyEditingFor({ policy, tx }: { policy: PolicyWithApplication; tx?: DbTransaction }) {
  if (policy.kind === "baseline" || !policy.application)
    return { editors: DEFAULT_POLICY_EDITORS, publishers: ["security-officer"] as readonly PolicyEditor[] };
  const architecture = await getEffectiveArchitectureForApplication({ application: policy.application, tx });
  return {
    editors: architecture.decision ? { baseline: DEFAULT_POLICY_EDITORS.baseline, fineGrained: architecture.editing.fineGrained } : DEFAULT_POLICY_EDITORS,
    publishers: architecture.editing.fineGrainedPublishedBy,
  };
}

/** Who edits this policy: what the application's accepted architecture decision says, else the defaults. */
export async function policyEditorsFor({ policy, tx }: { policy: PolicyWithApplication; tx?: DbTransaction }): Promise<PolicyEditors> {
  return (await policyEditingFor({ policy, tx })).editors;
}

export async function requireCanEditPolicy({ ctx, policy, tx }: { ctx: RequestContext; policy: PolicyWithApplication; tx?: DbTransaction }) {
  const actor = requireActor(ctx);
  const editors = await policyEditorsFor({ policy, tx });
  if (canEditPolicy(actor, policy, editors)) return actor;
  const roles = (policy.kind === "baseline" ? editors.baseline : editors.fineGrained).map((role) =>
    role === "security-officer" ? "security officers" : `the owning team's ${role.replace("-", " ")}s`,
  );
  const who = roles.length > 0 ? roles.join(" and ") : "no one";
  throw new AppError("FORBIDDEN", policy.kind === "baseline" ? `Only ${who} edit the baseline policy.` : `This application's policy is edited by ${who}.`, {
    details: { permission: "policies:edit" },
  });
}

export async function requireCanPublishPolicy({ ctx, policy, tx }: { ctx: RequestContext; policy: PolicyWithApplication; tx?: DbTransaction }) {
  const actor = requireActor(ctx);
  if (canPublishPolicy(actor, policy, (await policyEditingFor({ policy, tx })).publishers)) return actor;
  throw new AppError(
    "FORBIDDEN",
    policy.kind === "baseline"
      ? "Only security officers publish the baseline policy."
      : "Only security officers publish this application's policy: project leads publish fine-grained policy only where the accepted architecture (A or B) shares it with them.",
    { details: { permission: "policies:publish" } },
  );
}

/** A permission for this policy: org-wide for a baseline, for the owning team for an application's policy. */
export function holdsPolicyPermission(actor: Actor | null, permission: Permission, policy: EditablePolicy): boolean {
  if (!actor) return false;
  if (policy.kind === "application" && policy.application) return canForTeam(actor, permission, policy.application.teamId);
  return grantOf(actor.grants, permission).org;
}

export function requirePolicyPermission(ctx: RequestContext, permission: Permission, policy: EditablePolicy): Actor {
  const actor = requireActor(ctx);
  if (!holdsPolicyPermission(actor, permission, policy)) {
    throw new AppError("FORBIDDEN", `Your role does not allow ${permission} for this policy.`, { details: { permission } });
  }
  return actor;
}

/** What the actor may do with a policy, for the UI (each action checks again on the server). */
export async function policyAbilities({ actor, policy, tx }: { actor: Actor; policy: PolicyWithApplication; tx?: DbTransaction }): Promise<PolicyAbilities> {
  const { editors, publishers } = await policyEditingFor({ policy, tx });
  return {
    edit: canEditPolicy(actor, policy, editors),
    review: holdsPolicyPermission(actor, "policies:review", policy),
    publish: canPublishPolicy(actor, policy, publishers),
  };
}
