import "server-only";
import { computeRiskFlags } from "@/lib/approvals/compute-risk-flags";
import { notifyVersionTransition } from "@/lib/approvals/notify-version-transition";
import { requireActor, type Actor, type RequestContext } from "@/lib/auth/actor";
import { grantOf } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db, type DbTransaction } from "@/lib/db/client";
import { AppError, isAppError } from "@/lib/errors/app-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import { evaluateFineGrainedRequirement, requireFineGrainedRequirementMet } from "./evaluate-fine-grained-requirement";
import { versionAuditView } from "./policy-audit-view";
import { requireCanEditPolicy, requireCanPublishPolicy, requirePolicyPermission } from "./policy-permissions";
import { getPolicyRecord, getVersionRecord, lockPolicy, policyInclude, toVersionView, versionSelect, type PolicyRecord } from "./policy-records";
import { versionWriterIds } from "./version-writers";
import { canTransition, POLICY_TRANSITIONS, refusedTransitionMessage, type PolicyTransition } from "./policy-transitions";
import { assertPolicyEditable, policyTargetOf } from "./policy-target";
import { collectReviewComments } from "./review-comments";
import { stalePolicyVersion } from "./stale-policy-version";
import { storedApplicationPolicy, storedBaseline } from "./stored-policy-document";
import { findBaselineInForce } from "./find-published-baselines";
import { storedDocumentOf } from "./stored-policy-document-of";
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
  /** The reviewer's comment (approve, reject, request changes). */
  note?: string;
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

/** A decision says why: the author and the audit trail read it. */
const commentRequired: TransitionRule = async ({ note }) => {
  if (!note?.trim()) {
    throw new AppError("VALIDATION_FAILED", "A decision needs a comment: say why.", {
      fieldErrors: [{ path: "body.note", message: "is required: say why you decide so" }],
      details: { rule: "comment-required" },
    });
  }
};

/**
 * Four eyes: nobody approves a change they wrote or submitted — the author, everyone who
 * edited the draft (an editor could otherwise let the author submit their edit and approve
 * it) and the submitter. A baseline
 * applies to every application, so its approver must moreover be a security officer
 * for the whole organisation — a second one, since only security officers author it.
 */
const fourEyes: TransitionRule = async ({ actor, policy, version }) => {
  const own = versionWriterIds({ ...version, editors: version.editors.map((e) => e.user) }).includes(actor.user.id);
  if (policy.kind === "baseline" && (own || !grantOf(actor.grants, "policies:review").org)) {
    throw new AppError("FORBIDDEN", `Four eyes: a baseline change needs a security officer other than its author to approve version ${version.number}.`, {
      details: { rule: "four-eyes" },
    });
  }
  if (own) {
    throw new AppError(
      "FORBIDDEN",
      `Four eyes: you cannot approve version ${version.number}, your own change (you wrote, edited or submitted it); another security officer approves it.`,
      {
        details: { rule: "four-eyes" },
      },
    );
  }
};

/**
 * The baselines may have been published since the version was submitted: it is checked
 * against the ones in force now, and a version that no longer fits cannot be approved.
 */
const fitsBaselineInForce: TransitionRule = async (context) => {
  try {
    await contentStillValid(context);
  } catch (error) {
    if (!isAppError(error) || error.code !== "VALIDATION_FAILED") throw error;
    const changed = await context.tx.policyVersion.count({
      where: { state: "published", policy: { kind: "baseline" }, publishedAt: { gt: context.version.submittedAt ?? new Date(0) } },
    });
    throw new AppError(
      "CONFLICT",
      changed > 0
        ? `The baseline changed since version ${context.version.number} was submitted, and against the baseline in force it no longer validates; it cannot be approved. Reject it or request changes.`
        : `Version ${context.version.number} does not validate against the baseline in force; it cannot be approved.`,
      { fieldErrors: error.fieldErrors, details: { rule: "baseline-changed" } },
    );
  }
};

/**
 * A policy has at most one open draft (editing and "start a new draft" rely on it), so a
 * version cannot go back to draft while another draft is open.
 */
const noOtherOpenDraft: TransitionRule = async ({ tx, policy, version }) => {
  const open = await tx.policyVersion.findFirst({ where: { policyId: policy.id, state: "draft", id: { not: version.id } }, select: { number: true } });
  if (open) {
    throw new AppError(
      "CONFLICT",
      `Version ${open.number} is already an open draft; it is submitted or discarded before version ${version.number} can return to draft.`,
      {
        details: { rule: "one-open-draft" },
      },
    );
  }
};

/**
 * The rules of each transition, in order. The approval queue's review rules (comment,
 * four eyes, the baseline in force) sit here without touching the state machine.
 */
export const TRANSITION_RULES: Record<PolicyTransition, TransitionRule[]> = {
  submit: [contentStillValid],
  approve: [commentRequired, fourEyes, fitsBaselineInForce],
  "request-changes": [commentRequired, noOtherOpenDraft],
  reject: [commentRequired],
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
  summary,
}: {
  ctx: RequestContext;
  policyId: string;
  versionId: string;
  expectedVersion: number;
  transition: PolicyTransition;
  note?: string;
  /** Why the change is made (submit). */
  summary?: string;
}) {
  const actor = requireActor(ctx);
  const step = POLICY_TRANSITIONS[transition];
  const now = new Date();
  let refusal: { error: AppError; teamId: string | null } | null = null;
  try {
    return await db.$transaction(async (tx) => {
      const readable = await getPolicyRecord({ actor, id: policyId, tx });
      if (transition === "submit") await requireCanEditPolicy({ ctx, policy: readable, tx });
      else if (transition === "publish") await requireCanPublishPolicy({ ctx, policy: readable, tx });
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
      try {
        for (const rule of TRANSITION_RULES[transition]) await rule({ tx, ctx, actor, policy, version, now, note });
      } catch (error) {
        if (isAppError(error)) refusal = { error, teamId: policy.application?.teamId ?? null };
        throw error;
      }

      const stamp: Prisma.PolicyVersionUncheckedUpdateManyInput =
        transition === "submit"
          ? {
              submittedAt: now,
              submittedById: actor.user.id,
              submissionSummary: summary ?? null,
              ...(await riskFlagsOf(tx, policy, version, now)),
            }
          : transition === "publish"
            ? { publishedAt: now, publishedById: actor.user.id }
            : transition === "request-changes"
              ? // Back to its author as a draft: no longer submitted; the comment stays in reviewNote (the database allows the way back only with it).
                { submittedAt: null, submittedById: null, reviewNote: (note ?? "").trim() }
              : { reviewedAt: now, reviewedById: actor.user.id, reviewNote: note || null };
      const { count } = await tx.policyVersion.updateMany({
        where: { id: versionId, version: expectedVersion, state: version.state },
        data: { state: step.to, ...stamp, version: { increment: 1 } },
      });
      if (count === 0) throw await stalePolicyVersion(tx, versionId, expectedVersion);

      let superseded: number | null = null;
      if (transition === "publish") superseded = await publishInPolicy(tx, policy, version, now);
      // Like a code review: the open inline comments go to the author with the request.
      const comments = transition === "request-changes" ? await collectReviewComments(tx, versionId, now) : [];

      const after = await tx.policyVersion.findUniqueOrThrow({ where: { id: versionId }, select: versionSelect });
      await recordAuditEvent(tx, ctx, {
        action: `policy.version.${transition}`,
        target: { type: "policy-version", id: versionId },
        teamId: policy.application?.teamId ?? null,
        summary: {
          before: versionAuditView(version),
          after: versionAuditView(after),
          ...(note ? { note } : {}),
          ...(summary ? { summary } : {}),
          ...(superseded !== null ? { superseded } : {}),
          ...(comments.length > 0 ? { comments: comments.length } : {}),
        },
      });
      // A version sent back for changes no longer names its submitter; they are told all the same.
      await notifyVersionTransition(tx, {
        transition,
        policy,
        version: { ...after, submittedBy: after.submittedBy ?? version.submittedBy },
        actor,
        note: withComments(note, comments),
      });
      return toVersionView(after);
    });
  } catch (error) {
    if (refusal) await auditRefusal(ctx, transition, versionId, refusal);
    throw error;
  }
}

function withComments(note: string | undefined, comments: string[]): string | undefined {
  if (comments.length === 0) return note;
  return `${note ?? ""}\n\nInline comments (${comments.length}):\n${comments.map((c) => `- ${c}`).join("\n")}`.trim();
}

/**
 * A refused decision (own change, no comment, a version the baseline no longer admits)
 * is audited as a denied attempt. The transaction rolled back, so it is recorded in one
 * of its own.
 */
async function auditRefusal(ctx: RequestContext, transition: PolicyTransition, versionId: string, refusal: { error: AppError; teamId: string | null }) {
  refusal.error.auditedAs = `policy.version.${transition}`;
  try {
    await db.$transaction((tx) =>
      recordAuditEvent(tx, ctx, {
        action: `policy.version.${transition}`,
        outcome: "denied",
        target: { type: "policy-version", id: versionId },
        teamId: refusal.teamId,
        summary: { reason: refusal.error.message, ...(typeof refusal.error.details.rule === "string" ? { rule: refusal.error.details.rule } : {}) },
      }),
    );
  } catch (auditError) {
    console.error("[policies] could not audit a refused transition", auditError);
  }
}

/** The risk flags of a submitted change against the version in force, and how many. */
async function riskFlagsOf(tx: DbTransaction, policy: PolicyRecord, version: VersionRecord, now: Date) {
  const published = policy.publishedVersion
    ? await tx.policyVersion.findUniqueOrThrow({ where: { id: policy.publishedVersion.id }, select: { content: true, number: true } })
    : null;
  // Content markings relax what the baseline in force lets them relax: the flag names those families.
  const baseline = policy.kind === "application" ? await findBaselineInForce({ tx }) : null;
  const flags = computeRiskFlags({
    before: published ? storedDocumentOf(policy.kind, published) : null,
    after: storedDocumentOf(policy.kind, version),
    exposure: policy.application?.exposure ?? null,
    now,
    relaxable: baseline?.document.contentProfiles.allowRelax,
  });
  return { riskFlags: flags as unknown as Prisma.InputJsonValue, riskCount: flags.length };
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
