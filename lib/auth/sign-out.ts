import "server-only";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import type { RequestContext } from "./actor";

/** Revokes the caller's session (if any). Signing out twice is not an error. */
export async function signOut(ctx: RequestContext) {
  const sessionId = ctx.actor?.sessionId;
  if (!sessionId) return;
  await db.$transaction(async (tx) => {
    const { count } = await tx.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count > 0) await recordAuditEvent(tx, ctx, { action: "auth.logout", target: { type: "session", id: sessionId } });
  });
}
