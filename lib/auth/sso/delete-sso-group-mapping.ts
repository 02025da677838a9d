import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { resyncProviderMemberships } from "./sync-idp-memberships";

/** Removes an administrator's mapping; the roles it gave go at once (unless another mapping gives them). */
export async function deleteSsoGroupMapping({ ctx, id }: { ctx: RequestContext; id: string }) {
  requirePermission(ctx, "sso:manage");
  return db.$transaction(async (tx) => {
    const row = await tx.ssoGroupMapping.findUnique({ where: { id }, include: { team: { select: { slug: true } } } });
    if (!row) throw new AppError("NOT_FOUND", "No such group mapping.");
    await tx.ssoGroupMapping.delete({ where: { id } });
    await recordAuditEvent(tx, ctx, {
      action: "sso.mapping.delete",
      target: { type: "sso-group-mapping", id },
      teamId: row.teamId,
      summary: { before: { provider: row.provider, group: row.group, team: row.team.slug, role: row.role } },
    });
    return resyncProviderMemberships(tx, { ctx, providerId: row.provider });
  });
}
