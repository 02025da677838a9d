import "server-only";
import { requireActor, type RequestContext } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { createPolicyDraft } from "@/lib/policies/create-policy-draft";
import { updatePolicyDraft } from "@/lib/policies/update-policy-draft";
import { getSecurityEventRecord } from "./get-security-event";
import { proposeFalsePositiveException } from "./propose-false-positive-exception";
import type { ExceptionDraftInput } from "./security-event-schemas";

const DAY = 86_400_000;

/**
 * "This is a false positive": adds the narrowest exception for the event to the
 * application's open draft, creating the draft from the latest version if there is none.
 * Drafting goes through the policies domain (createPolicyDraft, updatePolicyDraft), so
 * who may edit, validation against the baseline (lifetime, non-exempt families),
 * optimistic concurrency and the audit trail are the editor's. Submitting for review is
 * the usual next step.
 */
export async function draftExceptionFromEvent({
  ctx,
  eventId,
  input,
  now = new Date(),
}: {
  ctx: RequestContext;
  eventId: string;
  input: ExceptionDraftInput;
  now?: Date;
}) {
  const actor = requireActor(ctx);
  const event = await getSecurityEventRecord({ actor, id: eventId });
  const proposal = await proposeFalsePositiveException({ actor, event, now });
  if (typeof proposal === "string") throw new AppError("CONFLICT", proposal, { details: { rule: "no-exception-for-event" } });
  if (input.expires !== undefined) {
    const days = Math.ceil((Date.parse(`${input.expires}T00:00:00Z`) - Date.parse(now.toISOString().slice(0, 10) + "T00:00:00Z")) / DAY);
    if (days < 1 || days > proposal.maxLifetimeDays) {
      throw new AppError("VALIDATION_FAILED", "The request body is invalid.", {
        fieldErrors: [{ path: "body.expires", message: `must be between tomorrow and ${proposal.maxLifetimeDays} days from today (the baseline's maximum)` }],
      });
    }
  }
  const exception = {
    ...proposal.exception,
    justification: input.justification,
    expires: input.expires ?? proposal.exception.expires,
    ...(input.ticket ? { ticket: input.ticket } : {}),
  };

  let draft = await db.policyVersion.findFirst({
    where: { policyId: proposal.policyId, state: "draft" },
    select: { id: true, number: true, version: true, content: true },
  });
  const createdDraft = draft === null;
  if (draft === null) {
    const created = await createPolicyDraft({
      ctx,
      policyId: proposal.policyId,
      input: { note: `False positive of ${event.ruleId} on ${event.method} ${event.path}` },
    });
    draft = await db.policyVersion.findUniqueOrThrow({ where: { id: created.id }, select: { id: true, number: true, version: true, content: true } });
  }
  const content = structuredClone(draft.content) as Record<string, unknown>;
  const existing = Array.isArray(content.exceptions) ? (content.exceptions as Array<{ id?: unknown }>) : [];
  if (existing.some((e) => e.id === exception.id)) {
    throw new AppError("CONFLICT", `Version ${draft.number} already has the exception ${exception.id}; edit it there.`, {
      details: { versionId: draft.id, exceptionId: exception.id },
    });
  }
  content.exceptions = [...existing, exception];
  const updated = await updatePolicyDraft({
    ctx,
    policyId: proposal.policyId,
    versionId: draft.id,
    expectedVersion: draft.version,
    input: { content, note: `Exception ${exception.id}: false positive of ${event.ruleId} on ${event.method} ${event.path}` },
  });
  // Remembered for the log-only suggestion: a family with a false positive is not ready to block.
  await db.securityEventFalsePositive.create({
    data: { applicationId: proposal.applicationId, family: event.family, ruleId: event.ruleId, eventId: event.id, markedById: actor.user.id },
  });
  return {
    policyId: proposal.policyId,
    versionId: updated.id,
    versionNumber: updated.number,
    exceptionId: exception.id,
    createdDraft,
    impact: proposal.impact,
  };
}
