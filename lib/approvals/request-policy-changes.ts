import "server-only";
import { requireActor, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { AppError, isAppError } from "@/lib/errors/app-error";
import { versionAuditView } from "@/lib/policies/policy-audit-view";
import { requirePolicyPermission } from "@/lib/policies/policy-permissions";
import { getPolicyRecord, getVersionRecord, lockPolicy, toVersionView, versionSelect } from "@/lib/policies/policy-records";
import { assertPolicyEditable } from "@/lib/policies/policy-target";
import { stalePolicyVersion } from "@/lib/policies/stale-policy-version";
import { notifyVersionTransition } from "./notify-version-transition";

/**
 * Sends a submitted version back to its author as a draft, with the reviewer's comment
 * (kept in reviewNote until it is submitted again): the one way back from review, which
 * the database allows only with that comment. A policy has at most one open draft, so
 * this is refused while another draft is open.
 */
export async function requestPolicyChanges({
  ctx,
  policyId,
  versionId,
  expectedVersion,
  note,
}: {
  ctx: RequestContext;
  policyId: string;
  versionId: string;
  expectedVersion: number;
  note: string;
}) {
  const actor = requireActor(ctx);
  type Refusal = { error: AppError; teamId: string | null };
  let refusal: Refusal | null = null;
  try {
    return await db.$transaction(async (tx) => {
      const readable = await getPolicyRecord({ actor, id: policyId, tx });
      requirePolicyPermission(ctx, "policies:review", readable);
      assertPolicyEditable(readable);
      await lockPolicy(tx, policyId);
      const version = await getVersionRecord({ policyId, versionId, tx });
      if (version.version !== expectedVersion) throw await stalePolicyVersion(tx, versionId, expectedVersion);
      if (version.state !== "submitted") {
        throw new AppError("CONFLICT", `Version ${version.number} is ${version.state}; only a submitted version can be sent back for changes.`, {
          details: { state: version.state },
        });
      }
      try {
        if (!note.trim()) {
          throw new AppError("VALIDATION_FAILED", "A request for changes needs a comment: say what to change.", {
            fieldErrors: [{ path: "body.note", message: "is required: say what to change" }],
            details: { rule: "comment-required" },
          });
        }
        const open = await tx.policyVersion.findFirst({ where: { policyId, state: "draft" }, select: { number: true } });
        if (open) {
          throw new AppError("CONFLICT", `Version ${open.number} is already an open draft; it is submitted or discarded before this one can return to draft.`);
        }
      } catch (error) {
        if (isAppError(error)) refusal = { error, teamId: readable.application?.teamId ?? null };
        throw error;
      }
      const { count } = await tx.policyVersion.updateMany({
        where: { id: versionId, version: expectedVersion, state: "submitted" },
        data: { state: "draft", submittedAt: null, submittedById: null, reviewNote: note.trim(), version: { increment: 1 } },
      });
      if (count === 0) throw await stalePolicyVersion(tx, versionId, expectedVersion);
      const after = await tx.policyVersion.findUniqueOrThrow({ where: { id: versionId }, select: versionSelect });
      await recordAuditEvent(tx, ctx, {
        action: "policy.version.request-changes",
        target: { type: "policy-version", id: versionId },
        teamId: readable.application?.teamId ?? null,
        summary: { before: versionAuditView(version), after: versionAuditView(after), note: note.trim() },
      });
      // The submitter is told: `version` still names them (after has no submitter any more).
      await notifyVersionTransition(tx, { transition: "request-changes", policy: readable, version, actor, note: note.trim() });
      return toVersionView(after);
    });
  } catch (error) {
    // Set inside the transaction's callback, which TypeScript's narrowing cannot see.
    const seen = refusal as Refusal | null;
    if (seen) {
      const { error: refused, teamId } = seen;
      await db
        .$transaction((tx) =>
          recordAuditEvent(tx, ctx, {
            action: "policy.version.request-changes",
            outcome: "denied",
            target: { type: "policy-version", id: versionId },
            teamId,
            summary: { reason: refused.message },
          }),
        )
        .catch((auditError) => console.error("[approvals] could not audit a refused request for changes", auditError));
    }
    throw error;
  }
}
