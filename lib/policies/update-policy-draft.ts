import "server-only";
import { requireActor, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import { versionAuditView } from "./policy-audit-view";
import { authoredSource } from "./authored-source";
import { policyContentHash } from "./policy-content-hash";
import { requireCanEditPolicy } from "./policy-permissions";
import { getPolicyRecord, getVersionRecord, lockPolicy, toVersionView, versionSelect } from "./policy-records";
import { updateDraftInput, type UpdateDraftInput } from "./policy-schemas";
import { assertPolicyEditable, policyTargetOf } from "./policy-target";
import { stalePolicyVersion } from "./stale-policy-version";
import { validatePolicyContent } from "./validate-policy-content";

/**
 * Replaces a draft's content if it is still at `expectedVersion`. The check and the write
 * are one statement (which also requires the row to still be a draft), so of two edits
 * from the same version exactly one wins and the other gets CONFLICT. Any other state is
 * frozen (and a database trigger refuses the write even if this code did not).
 */
export async function updatePolicyDraft({
  ctx,
  policyId,
  versionId,
  expectedVersion,
  input,
}: {
  ctx: RequestContext;
  policyId: string;
  versionId: string;
  expectedVersion: number;
  input: UpdateDraftInput;
}) {
  const actor = requireActor(ctx);
  const data = updateDraftInput.parse(input);
  const now = new Date();
  return db.$transaction(async (tx) => {
    const policy = await getPolicyRecord({ actor, id: policyId, tx });
    await requireCanEditPolicy({ ctx, policy, tx });
    assertPolicyEditable(policy);
    const before = await getVersionRecord({ policyId, versionId, tx });
    if (before.state !== "draft") {
      throw new AppError("CONFLICT", `Version ${before.number} is ${before.state}; its content is frozen. Create a new draft to change it.`, {
        details: { state: before.state },
      });
    }
    if (before.version !== expectedVersion) throw await stalePolicyVersion(tx, versionId, expectedVersion);
    const document = await validatePolicyContent({ tx, target: policyTargetOf(policy), input: data.content, root: "body.content", now });

    await lockPolicy(tx, policyId);
    const { count } = await tx.policyVersion.updateMany({
      where: { id: versionId, version: expectedVersion, state: "draft" },
      data: {
        content: document as unknown as Prisma.InputJsonValue,
        contentHash: policyContentHash(document),
        sourceText: authoredSource(data.content),
        ...(data.note !== undefined ? { note: data.note } : {}),
        version: { increment: 1 },
      },
    });
    if (count === 0) throw await stalePolicyVersion(tx, versionId, expectedVersion);
    // Whoever changes the content is one of its writers: four eyes keeps them from approving it.
    await tx.policyVersionEditor.createMany({ data: [{ versionId, userId: actor.user.id }], skipDuplicates: true });
    const after = await tx.policyVersion.findUniqueOrThrow({ where: { id: versionId }, select: versionSelect });
    await recordAuditEvent(tx, ctx, {
      action: "policy.draft.update",
      target: { type: "policy-version", id: versionId },
      teamId: policy.application?.teamId ?? null,
      summary: { before: versionAuditView(before), after: versionAuditView(after) },
    });
    return toVersionView(after);
  });
}
