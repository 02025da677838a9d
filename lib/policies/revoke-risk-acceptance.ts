import "server-only";
import { requireActor, requireTeamPermission, type RequestContext } from "@/lib/auth/actor";
import { getApplication } from "@/lib/applications/get-application";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { riskAcceptanceInclude, toRiskAcceptanceView } from "./risk-acceptance-view";

/** Ends a risk acceptance before its expiry; the row stays, marked revoked (a trigger allows nothing else). */
export async function revokeRiskAcceptance({ ctx, applicationId, acceptanceId }: { ctx: RequestContext; applicationId: string; acceptanceId: string }) {
  const actor = requireActor(ctx);
  const now = new Date();
  return db.$transaction(async (tx) => {
    const application = await getApplication({ actor, id: applicationId, tx });
    requireTeamPermission(ctx, "policies:accept-risk", application.teamId);
    const { count } = await tx.riskAcceptance.updateMany({
      where: { id: acceptanceId, applicationId, revokedAt: null },
      data: { revokedAt: now, revokedById: actor.user.id },
    });
    if (count === 0) {
      const exists = await tx.riskAcceptance.findFirst({ where: { id: acceptanceId, applicationId }, select: { id: true } });
      if (!exists) throw new AppError("NOT_FOUND", "No such risk acceptance for this application.");
      throw new AppError("CONFLICT", "The risk acceptance is already revoked.");
    }
    const acceptance = await tx.riskAcceptance.findUniqueOrThrow({ where: { id: acceptanceId }, include: riskAcceptanceInclude });
    await recordAuditEvent(tx, ctx, {
      action: "risk-acceptance.revoke",
      target: { type: "risk-acceptance", id: acceptanceId },
      teamId: application.teamId,
      summary: { applicationId },
    });
    return toRiskAcceptanceView(acceptance, now);
  });
}
