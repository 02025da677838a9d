import "server-only";
import { requireActor, requireTeamPermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db, type DbTransaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { updateApplicationInput, type UpdateApplicationInput } from "./application-schemas";
import { applicationInclude } from "./find-applications";
import { getApplication } from "./get-application";
import { auditView } from "./application-audit-view";
import { versionConflict } from "@/lib/errors/version-conflict";

/**
 * Updates an application if it is still at `expectedVersion`. The version check and
 * the write are one statement, so of two edits made from the same version exactly
 * one wins and the other gets CONFLICT with the current state.
 */
export async function updateApplication({
  ctx,
  id,
  expectedVersion,
  input,
}: {
  ctx: RequestContext;
  id: string;
  expectedVersion: number;
  input: UpdateApplicationInput;
}) {
  const actor = requireActor(ctx);
  const patch = updateApplicationInput.parse(input);
  return db.$transaction(async (tx) => {
    const before = await getApplication({ actor, id, tx });
    requireTeamPermission(ctx, "applications:update", before.teamId);
    if (before.archivedAt) throw new AppError("CONFLICT", "The application is archived; it cannot be edited.");
    const { count } = await tx.application.updateMany({
      where: { id, version: expectedVersion },
      data: { ...patch, version: { increment: 1 } },
    });
    if (count === 0) throw await staleVersion(tx, id, expectedVersion);
    const after = await tx.application.findUniqueOrThrow({ where: { id }, include: applicationInclude });
    await recordAuditEvent(tx, ctx, {
      action: "application.update",
      target: { type: "application", id },
      teamId: after.teamId,
      summary: { before: auditView(before), after: auditView(after) },
    });
    return after;
  });
}

/** The CONFLICT for a lost race, with the version that won (read after our write failed). */
export async function staleVersion(tx: DbTransaction, id: string, expected: number) {
  const { version: current } = await tx.application.findUniqueOrThrow({ where: { id }, select: { version: true } });
  return versionConflict(expected, current);
}
