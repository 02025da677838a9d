import "server-only";
import { db, type DbTransaction } from "@/lib/db/client";
import { env } from "@/lib/env";
import { generateSecret, hashSecret } from "./secret-token";

export const SESSION_COOKIE = "rampart_session";

// lastSeenAt is refreshed at most this often, so browsing does not write on every request.
const TOUCH_INTERVAL_MS = 60_000;

/** A new session; `tx` to create it with the rest of a sign-in (single sign-on's account and memberships). */
export async function createSession(
  input: { userId: string; ip: string | null; userAgent: string | null; sso?: { provider: string; idTokenHint: string | null } },
  tx: DbTransaction = db,
) {
  const token = generateSecret();
  const expiresAt = new Date(Date.now() + env().SESSION_TTL_HOURS * 3600_000);
  const session = await tx.session.create({
    data: {
      tokenHash: hashSecret(token),
      userId: input.userId,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 500) ?? null,
      expiresAt,
      ssoProvider: input.sso?.provider ?? null,
      idTokenHint: input.sso?.idTokenHint ?? null,
    },
  });
  return { token, session };
}

/** Whether a session is live at `now`: not revoked, not expired, not idle too long. */
export function isSessionLive(session: { revokedAt: Date | null; expiresAt: Date; lastSeenAt: Date }, now = Date.now()): boolean {
  if (session.revokedAt) return false;
  if (session.expiresAt.getTime() <= now) return false;
  return now - session.lastSeenAt.getTime() <= env().SESSION_IDLE_HOURS * 3600_000;
}

/** Whether lastSeenAt is old enough to be written again (at most once a minute per session). */
export function isSessionTouchDue(lastSeenAt: Date, now = Date.now()): boolean {
  return now - lastSeenAt.getTime() > TOUCH_INTERVAL_MS;
}

export async function touchSession(sessionId: string, now = new Date()): Promise<void> {
  await db.session.update({ where: { id: sessionId }, data: { lastSeenAt: now } });
}

export function sessionCookie(token: string, secure: boolean, maxAgeSeconds: number): string {
  return [`${SESSION_COOKIE}=${token}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAgeSeconds}`, ...(secure ? ["Secure"] : [])].join("; ");
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie("", secure, 0);
}
