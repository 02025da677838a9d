import "server-only";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import type { RequestContext } from "./actor";
import { endSessionUrl } from "./sso/end-session-url";

/**
 * Revokes the caller's session (if any). Signing out twice is not an error. For a session
 * begun through single sign-on, also returns where the provider ends its own session
 * (RP-initiated logout), when it offers that.
 */
export async function signOut(ctx: RequestContext): Promise<{ endSessionUrl: string | null }> {
  const sessionId = ctx.actor?.sessionId;
  if (!sessionId) return { endSessionUrl: null };
  const session = await db.$transaction(async (tx) => {
    const ended = await tx.session.updateManyAndReturn({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt: new Date() },
      select: { ssoProvider: true, idTokenHint: true },
    });
    if (ended.length > 0) await recordAuditEvent(tx, ctx, { action: "auth.logout", target: { type: "session", id: sessionId } });
    return ended[0] ?? null;
  });
  if (!session?.ssoProvider) return { endSessionUrl: null };
  return { endSessionUrl: await endSessionUrl({ providerId: session.ssoProvider, idTokenHint: session.idTokenHint }) };
}
