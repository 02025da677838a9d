import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { getTeam } from "./get-team";

export async function removeMembership({ ctx, teamId, membershipId }: { ctx: RequestContext; teamId: string; membershipId: string }) {
  const actor = requirePermission(ctx, "memberships:manage");
  return db.$transaction(async (tx) => {
    const membership = await tx.membership.findFirst({
      where: { id: membershipId, teamId },
      include: { user: { select: { email: true } } },
    });
    if (!membership) throw new AppError("NOT_FOUND", "No such membership in this team.");
    if (membership.role === "admin") {
      // Serialise concurrent removals of admins so two can't each remove "the other last one".
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('rampart:admins'))`;
      const admins = await tx.membership.count({ where: { role: "admin", user: { disabledAt: null } } });
      if (admins <= 1) throw new AppError("CONFLICT", "This is the last administrator; add another before removing it.");
    }
    await tx.membership.delete({ where: { id: membershipId } });
    await recordAuditEvent(tx, ctx, {
      action: "membership.remove",
      target: { type: "membership", id: membershipId },
      teamId,
      summary: { before: { user: membership.user.email, role: membership.role } },
    });
    return getTeam({ actor, id: teamId, tx });
  });
}
