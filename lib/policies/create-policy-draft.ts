import "server-only";
import { requireActor, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import { invalidPolicy } from "./parse-policy-content";
import { versionAuditView } from "./policy-audit-view";
import { authoredSource } from "./authored-source";
import { policyContentHash } from "./policy-content-hash";
import { requireCanEditPolicy } from "./policy-permissions";
import { getPolicyRecord, lockPolicy, toVersionView, versionSelect } from "./policy-records";
import { createDraftInput, type CreateDraftInput } from "./policy-schemas";
import { assertPolicyEditable, policyTargetOf } from "./policy-target";
import { validatePolicyContent } from "./validate-policy-content";

/**
 * A new draft of a policy, at most one open at a time: from a document (an import), from
 * an earlier version (a restore, i.e. a rollback: the new draft's content equals that
 * version's), or from the latest version. Its parent is the version it was derived from.
 */
export async function createPolicyDraft({ ctx, policyId, input }: { ctx: RequestContext; policyId: string; input: CreateDraftInput }) {
  const actor = requireActor(ctx);
  const data = createDraftInput.parse(input);
  const now = new Date();
  return db.$transaction(async (tx) => {
    const policy = await getPolicyRecord({ actor, id: policyId, tx });
    await requireCanEditPolicy({ ctx, policy, tx });
    assertPolicyEditable(policy);
    await lockPolicy(tx, policy.id);

    const open = await tx.policyVersion.findFirst({ where: { policyId, state: "draft" }, select: { id: true, number: true } });
    if (open) {
      throw new AppError("CONFLICT", `Version ${open.number} is already an open draft; edit or submit it first.`, {
        details: { draftId: open.id },
      });
    }
    const latest = await tx.policyVersion.findFirst({
      where: { policyId },
      orderBy: { number: "desc" },
      select: { id: true, number: true, content: true, sourceText: true },
    });
    let source: "document" | "restore" | "latest";
    let parent: { id: string; number: number; content: unknown; sourceText: string | null } | null;
    let content: unknown;
    // The new draft carries the text its content came from: the document sent, or its parent's.
    let sourceText: string | null;
    if (data.fromVersionId) {
      parent = await tx.policyVersion.findFirst({
        where: { id: data.fromVersionId, policyId },
        select: { id: true, number: true, content: true, sourceText: true },
      });
      if (!parent) throw invalidPolicy([{ path: "body.fromVersionId", message: "is not a version of this policy" }]);
      source = "restore";
      content = parent.content;
      sourceText = parent.sourceText;
    } else if (data.content !== undefined) {
      source = "document";
      parent = latest;
      content = data.content;
      sourceText = authoredSource(data.content);
    } else if (latest) {
      source = "latest";
      parent = latest;
      content = latest.content;
      sourceText = latest.sourceText;
    } else {
      throw invalidPolicy([{ path: "body.content", message: "is required: the policy has no version to start from" }]);
    }
    const document = await validatePolicyContent({
      tx,
      target: policyTargetOf(policy),
      input: content,
      root: source === "document" ? "body.content" : "content",
      now,
    });
    const version = await tx.policyVersion.create({
      data: {
        policyId,
        number: (latest?.number ?? 0) + 1,
        content: document as unknown as Prisma.InputJsonValue,
        contentHash: policyContentHash(document),
        sourceText,
        note: data.note,
        authorId: actor.user.id,
        editors: { create: { userId: actor.user.id } },
        parentId: parent?.id ?? null,
      },
      select: versionSelect,
    });
    await recordAuditEvent(tx, ctx, {
      action: source === "restore" ? "policy.version.restore" : "policy.draft.create",
      target: { type: "policy-version", id: version.id },
      teamId: policy.application?.teamId ?? null,
      summary: { source, from: parent?.number ?? null, after: versionAuditView(version) },
    });
    return toVersionView(version);
  });
}
