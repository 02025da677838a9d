import "server-only";
import { requireActor, requireTeamPermission, type RequestContext } from "@/lib/auth/actor";
import { getApplication } from "@/lib/applications/get-application";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { createRiskAcceptanceInput, MAX_RISK_ACCEPTANCE_DAYS, type CreateRiskAcceptanceInput } from "./policy-schemas";
import { riskAcceptanceInclude, toRiskAcceptanceView } from "./risk-acceptance-view";

const DAY_MS = 86_400_000;

/**
 * A security officer accepts, until a date, that an internet-facing application goes live
 * without fine-grained policy. The expiry is required and bounded: an acceptance bridges
 * the time until the application has its own policy.
 */
export async function createRiskAcceptance({ ctx, applicationId, input }: { ctx: RequestContext; applicationId: string; input: CreateRiskAcceptanceInput }) {
  const actor = requireActor(ctx);
  const data = createRiskAcceptanceInput.parse(input);
  const now = new Date();
  const expiresAt = new Date(data.expiresAt);
  if (expiresAt.getTime() <= now.getTime()) {
    throw new AppError("VALIDATION_FAILED", "The risk acceptance is invalid.", { fieldErrors: [{ path: "body.expiresAt", message: "must be in the future" }] });
  }
  if (expiresAt.getTime() - now.getTime() > MAX_RISK_ACCEPTANCE_DAYS * DAY_MS) {
    throw new AppError("VALIDATION_FAILED", "The risk acceptance is invalid.", {
      fieldErrors: [{ path: "body.expiresAt", message: `must be at most ${MAX_RISK_ACCEPTANCE_DAYS} days from now` }],
    });
  }
  return db.$transaction(async (tx) => {
    const application = await getApplication({ actor, id: applicationId, tx });
    requireTeamPermission(ctx, "policies:accept-risk", application.teamId);
    if (application.exposure !== "internet") {
      throw new AppError("CONFLICT", `${application.slug} is not exposed to the internet; there is no risk to accept.`);
    }
    const acceptance = await tx.riskAcceptance.create({
      data: { applicationId, reason: data.reason, expiresAt, acceptedById: actor.user.id },
      include: riskAcceptanceInclude,
    });
    await recordAuditEvent(tx, ctx, {
      action: "risk-acceptance.create",
      target: { type: "risk-acceptance", id: acceptance.id },
      teamId: application.teamId,
      summary: { applicationId, reason: acceptance.reason, expiresAt: acceptance.expiresAt.toISOString() },
    });
    return toRiskAcceptanceView(acceptance, now);
  });
}
