import "server-only";
import { requireActor, type Actor, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db, type DbTransaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { holdsPolicyPermission } from "./policy-permissions";
import { getPolicyRecord, getVersionRecord } from "./policy-records";
import { reviewCommentInput, type ReviewCommentInput } from "./review-comment-schemas";

// Inline review comments: threads on lines of a version's diff, stored with the version.
// Whoever may read the policy reads them (its author above all); reviewers and editors of
// the policy (its team and the security team) write them. A "request changes" collects the open ones into its notice.

const select = {
  id: true,
  versionId: true,
  parentId: true,
  side: true,
  line: true,
  lineText: true,
  body: true,
  collectedAt: true,
  createdAt: true,
  author: { select: { id: true, name: true, email: true } },
} as const;

export async function findReviewComments({ actor, policyId, versionId }: { actor: Actor; policyId: string; versionId: string }) {
  await getPolicyRecord({ actor, id: policyId });
  await getVersionRecord({ policyId, versionId });
  const items = await db.policyVersionComment.findMany({ where: { versionId }, select, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return { items };
}

export async function addReviewComment({
  ctx,
  policyId,
  versionId,
  input,
}: {
  ctx: RequestContext;
  policyId: string;
  versionId: string;
  input: ReviewCommentInput;
}) {
  const actor = requireActor(ctx);
  const data = reviewCommentInput.parse(input);
  return db.$transaction(async (tx) => {
    const policy = await getPolicyRecord({ actor, id: policyId, tx });
    // The security team (reviewers) and the application's team; for a baseline, the security team.
    if (!holdsPolicyPermission(actor, "policies:edit", policy)) {
      throw new AppError("FORBIDDEN", "Only the policy's team and the security team comment on its versions.", { details: { permission: "policies:edit" } });
    }
    const version = await getVersionRecord({ policyId, versionId, tx });
    let side = data.side;
    let line = data.line;
    let lineText = data.lineText;
    if (data.parentId) {
      // A reply joins its thread where the thread is (one level: replies to a reply join the same thread).
      const parent = await tx.policyVersionComment.findFirst({
        where: { id: data.parentId, versionId },
        select: { id: true, parentId: true, side: true, line: true, lineText: true },
      });
      if (!parent)
        throw new AppError("VALIDATION_FAILED", "The comment does not exist.", {
          fieldErrors: [{ path: "body.parentId", message: "is not a comment on this version" }],
        });
      ({ side, line, lineText } = parent as { side: "before" | "after"; line: number; lineText: string });
      data.parentId = parent.parentId ?? parent.id;
    }
    const comment = await tx.policyVersionComment.create({
      data: { versionId, authorId: actor.user.id, parentId: data.parentId ?? null, side, line, lineText, body: data.body },
      select,
    });
    await recordAuditEvent(tx, ctx, {
      action: "policy.version.comment",
      target: { type: "policy-version", id: versionId },
      teamId: policy.application?.teamId ?? null,
      summary: { comment: comment.id, version: version.number, side, line, reply: Boolean(data.parentId) },
    });
    return comment;
  });
}

/**
 * The open comments of a version, marked as sent with a "request changes" decision, as
 * text for the notice to the author ("line 12 `level: strict`: …").
 */
export async function collectReviewComments(tx: DbTransaction, versionId: string, now: Date): Promise<string[]> {
  const open = await tx.policyVersionComment.findMany({ where: { versionId, collectedAt: null }, select, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  if (open.length === 0) return [];
  await tx.policyVersionComment.updateMany({ where: { id: { in: open.map((c) => c.id) } }, data: { collectedAt: now } });
  return open.map((c) => `${c.side === "after" ? "Line" : "Earlier version, line"} ${c.line} \`${c.lineText.trim()}\` — ${c.author.name}: ${c.body}`);
}
