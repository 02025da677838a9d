import "server-only";
import { requireActor, type Actor, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db, type DbTransaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import { evaluateFineGrainedRequirement, requireFineGrainedRequirementMet } from "./evaluate-fine-grained-requirement";
import { versionAuditView } from "./policy-audit-view";
import { requireCanEditPolicy, requirePolicyPermission } from "./policy-permissions";
import { getPolicyRecord, getVersionRecord, lockPolicy, policyInclude, toVersionView, versionSelect, type PolicyRecord } from "./policy-records";
import { canTransition, POLICY_TRANSITIONS, refusedTransitionMessage, type PolicyTransition } from "./policy-transitions";
import { assertPolicyEditable, policyTargetOf } from "./policy-target";
import { stalePolicyVersion } from "./stale-policy-version";
import { storedApplicationPolicy, storedBaseline } from "./stored-policy-document";
import { validatePolicyContent } from "./validate-policy-content";

type VersionRecord = Awaited<ReturnType<typeof getVersionRecord>>;

/** What a rule of a transition sees. */
export type TransitionContext = {
  tx: DbTransaction;
  ctx: RequestContext;
  actor: Actor;
  policy: PolicyRecord;
  version: VersionRecord;
  now: Date;
};

/** A rule a transition must pass beyond its from-state and permission; it throws AppError to refuse. */
export type TransitionRule = (context: TransitionContext) => Promise<void>;

/** The content is still valid, now: the published baselines may have changed since it was saved. */
const contentStillValid: TransitionRule = async ({ tx, policy, version, now }) => {
  await validatePolicyContent({ tx, target: policyTargetOf(policy), input: version.content, root: "content", now });
};

/** Publishing an older version over a newer one would silently undo it; a restore is explicit. */
const notOlderThanPublished: TransitionRule = async ({ policy, version }) => {
  const published = policy.publishedVersion;
  if (published && published.number > version.number) {
    throw new AppError(
      "CONFLICT",
      `Version ${version.number} is older than the published version ${published.number}; restore it as a new draft to bring it back.`,
    );
  }
};

/** An internet-facing application goes live with fine-grained policy, or with an accepted risk. */
const fineGrainedPolicyForInternet: TransitionRule = async ({ tx, policy, version, now }) => {
  if (policy.kind !== "application" || !policy.application) return;
  const requirement = await evaluateFineGrainedRequirement({
    tx,
    application: policy.application,
    document: storedApplicationPolicy(version),
    now,
  });
  requireFineGrainedRequirementMet(requirement, policy.application.id);
};

/**
 * The rules of each transition, in order. The approval queue adds its review rules here
 * (e.g. four eyes: the reviewer is not the author) without touching the state machine.
 */
export const TRANSITION_RULES: Record<PolicyTransition, TransitionRule[]> = {
  submit: [contentStillValid],
  approve: [],
  reject: [],
  publish: [notOlderThanPublished, contentStillValid, fineGrainedPolicyForInternet],
};

/**
 * Moves a version along POLICY_TRANSITIONS if it is still at `expectedVersion`: checks who
 * may, the from-state and the transition's rules, stamps who did it and when, and — for a
 * publication — supersedes the version published before and points the policy at the new
 * one, all in one transaction with its audit event.
 */
export async function transitionPolicyVersion({
  ctx,
  policyId,
  versionId,
  expectedVersion,
  transition,
  note,
}: {
  ctx: RequestContext;
  policyId: string;
  versionId: string;
  expectedVersion: number;
  transition: PolicyTransition;
  note?: string;
}) {
  const actor = requireActor(ctx);
  const step = POLICY_TRANSITIONS[transition];
  const now = new Date();
  return db.$transaction(async (tx) => {
    const readable = await getPolicyRecord({ actor, id: policyId, tx });
    if (transition === "submit") await requireCanEditPolicy({ ctx, policy: readable, tx });
    else requirePolicyPermission(ctx, step.permission, readable);
    assertPolicyEditable(readable);
    await lockPolicy(tx, policyId);
    // Read again under the lock: a publication that committed meanwhile is seen here.
    const policy = await tx.policy.findUniqueOrThrow({ where: { id: policyId }, include: policyInclude });
    const version = await getVersionRecord({ policyId, versionId, tx });
    if (version.version !== expectedVersion) throw await stalePolicyVersion(tx, versionId, expectedVersion);
    if (!canTransition(version.state, transition)) {
      throw new AppError("CONFLICT", refusedTransitionMessage(version.number, version.state, transition), { details: { state: version.state } });
    }
    for (const rule of TRANSITION_RULES[transition]) await rule({ tx, ctx, actor, policy, version, now });

    const stamp: Prisma.PolicyVersionUncheckedUpdateManyInput =
      transition === "submit"
        ? { submittedAt: now, submittedById: actor.user.id }
        : transition === "publish"
          ? { publishedAt: now, publishedById: actor.user.id }
          : { reviewedAt: now, reviewedById: actor.user.id, reviewNote: note || null };
    const { count } = await tx.policyVersion.updateMany({
      where: { id: versionId, version: expectedVersion, state: version.state },
      data: { state: step.to, ...stamp, version: { increment: 1 } },
    });
    if (count === 0) throw await stalePolicyVersion(tx, versionId, expectedVersion);

    let superseded: number | null = null;
    if (transition === "publish") superseded = await publishInPolicy(tx, policy, version, now);

    const after = await tx.policyVersion.findUniqueOrThrow({ where: { id: versionId }, select: versionSelect });
    await recordAuditEvent(tx, ctx, {
      action: `policy.version.${transition}`,
      target: { type: "policy-version", id: versionId },
      teamId: policy.application?.teamId ?? null,
      summary: {
        before: versionAuditView(version),
        after: versionAuditView(after),
        ...(note ? { note } : {}),
        ...(superseded !== null ? { superseded } : {}),
      },
    });
    return toVersionView(after);
  });
}

/** The version published before is superseded; the policy now points at this one. Returns the superseded number. */
async function publishInPolicy(tx: DbTransaction, policy: PolicyRecord, version: VersionRecord, now: Date): Promise<number | null> {
  const previous = policy.publishedVersion;
  if (previous) {
    await tx.policyVersion.update({
      where: { id: previous.id },
      data: { state: "superseded", supersededAt: now, version: { increment: 1 } },
    });
  }
  // A baseline is known by the name of the version in force (standard, strict, …).
  const name = policy.kind === "baseline" ? storedBaseline(version).metadata.name : policy.name;
  await tx.policy.update({ where: { id: policy.id }, data: { publishedVersionId: version.id, name } });
  return previous?.number ?? null;
}
