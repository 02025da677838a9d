import "server-only";
import { requireActor, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { versionConflict } from "@/lib/errors/version-conflict";
import { versionAuditView } from "./policy-audit-view";
import { requireCanPublishPolicy } from "./policy-permissions";
import { getPolicyRecord, getVersionRecord, policyInclude, toVersionView, versionSelect } from "./policy-records";
import { assertPolicyEditable } from "./policy-target";
import { storedBaseline } from "./stored-policy-document";
import { TRANSITION_RULES } from "./transition-policy-version";

/**
 * Rollback: an earlier published version goes back into force as a NEW version with its
 * content, published in one step by a security officer. Versions stay immutable and the
 * history only grows (the trigger allows nothing else); the content was approved when it
 * was first published, so no second review is asked for, but the publication rules are
 * checked again against today (the baseline in force, the fine-grained requirement).
 * `expectedVersion` is the policy's version (its ETag): a rollback decided on a stale view
 * of the policy is refused. Audited as policy.version.rollback with from/to.
 */
export async function rollbackPolicyVersion({
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
  note?: string;
}) {
  const actor = requireActor(ctx);
  const now = new Date();
  return db.$transaction(async (tx) => {
    const readable = await getPolicyRecord({ actor, id: policyId, tx });
    await requireCanPublishPolicy({ ctx, policy: readable, tx });
    assertPolicyEditable(readable);
    // The policy's row lock and the optimistic check in one statement.
    const { count } = await tx.policy.updateMany({ where: { id: policyId, version: expectedVersion }, data: { version: { increment: 1 } } });
    if (count === 0) throw versionConflict(expectedVersion, readable.version);
    const policy = await tx.policy.findUniqueOrThrow({ where: { id: policyId }, include: policyInclude });
    const source = await getVersionRecord({ policyId, versionId, tx });
    if (source.state === "published") throw new AppError("CONFLICT", `Version ${source.number} is already in force.`, { details: { state: source.state } });
    if (source.state !== "superseded") {
      throw new AppError("CONFLICT", `Version ${source.number} is ${source.state}: only a version that was published before can be rolled back to.`, {
        details: { state: source.state },
      });
    }
    const previous = policy.publishedVersion;
    const latest = policy.versions[0]?.number ?? 0;

    const created = await tx.policyVersion.create({
      data: {
        policyId,
        number: latest + 1,
        content: source.content as object,
        contentHash: source.contentHash,
        sourceText: source.sourceText,
        note: note?.trim() || `Rollback to version ${source.number}`,
        authorId: actor.user.id,
        parentId: source.id,
      },
      select: versionSelect,
    });
    for (const rule of TRANSITION_RULES.publish) await rule({ tx, ctx, actor, policy, version: created, now });

    const reason = `Rollback to version ${source.number}, approved when it was first published.`;
    await tx.policyVersion.update({
      where: { id: created.id },
      data: {
        state: "published",
        submittedAt: now,
        submittedById: actor.user.id,
        submissionSummary: reason,
        reviewedAt: now,
        reviewedById: actor.user.id,
        reviewNote: reason,
        publishedAt: now,
        publishedById: actor.user.id,
        version: { increment: 1 },
      },
    });
    if (previous) {
      await tx.policyVersion.update({ where: { id: previous.id }, data: { state: "superseded", supersededAt: now, version: { increment: 1 } } });
    }
    const name = policy.kind === "baseline" ? storedBaseline(source).metadata.name : policy.name;
    // Pointing the policy at the new version is what the delivery trigger notifies on.
    await tx.policy.update({ where: { id: policyId }, data: { publishedVersionId: created.id, name } });

    const after = await tx.policyVersion.findUniqueOrThrow({ where: { id: created.id }, select: versionSelect });
    await recordAuditEvent(tx, ctx, {
      action: "policy.version.rollback",
      target: { type: "policy-version", id: created.id },
      teamId: policy.application?.teamId ?? null,
      summary: {
        from: previous?.number ?? null,
        to: source.number,
        created: after.number,
        after: versionAuditView(after),
        ...(note?.trim() ? { note: note.trim() } : {}),
      },
    });
    return toVersionView(after);
  });
}
