import "server-only";
import { requireActor, requireTeamPermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { applicationInclude } from "./find-applications";
import { getApplication } from "./get-application";
import { staleVersion } from "./update-application";
import { auditView } from "./application-audit-view";

/** Archives an application (kept for the audit trail and policy history, hidden from lists). */
export async function archiveApplication({ ctx, id, expectedVersion }: { ctx: RequestContext; id: string; expectedVersion: number }) {
  const actor = requireActor(ctx);
  return db.$transaction(async (tx) => {
    const before = await getApplication({ actor, id, tx });
    requireTeamPermission(ctx, "applications:archive", before.teamId);
    if (before.archivedAt) throw new AppError("CONFLICT", "The application is already archived.");
    const { count } = await tx.application.updateMany({
      where: { id, version: expectedVersion },
      data: { archivedAt: new Date(), version: { increment: 1 } },
    });
    if (count === 0) throw await staleVersion(tx, id, expectedVersion);
    const after = await tx.application.findUniqueOrThrow({ where: { id }, include: applicationInclude });
    await recordAuditEvent(tx, ctx, {
      action: "application.archive",
      target: { type: "application", id },
      teamId: after.teamId,
      summary: { before: auditView(before), after: auditView(after) },
    });
    return after;
  });
}
