import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { loadActor, type Actor } from "./actor";
import { hashSecret } from "./secret-token";
import { findLiveSession, SESSION_COOKIE } from "./session";

export const API_TOKEN_PREFIX = "rpt_";

/**
 * Resolves the caller from a Bearer API token or the session cookie.
 * A Bearer header that is present but invalid is an error, never a fallback to the cookie.
 */
export async function authenticateRequest(headers: Headers): Promise<Actor | null> {
  const authorization = headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw new AppError("UNAUTHENTICATED", "Authorization must be 'Bearer <token>'.");
    const actor = await actorFromApiToken(match[1]!);
    if (!actor) throw new AppError("UNAUTHENTICATED", "The API token is unknown, expired or revoked.");
    return actor;
  }
  const sessionToken = readCookie(headers.get("cookie"), SESSION_COOKIE);
  if (!sessionToken) return null;
  return actorFromSessionToken(sessionToken);
}

export async function actorFromSessionToken(token: string): Promise<Actor | null> {
  const session = await findLiveSession(token);
  if (!session) return null;
  return loadActor(session.userId, { kind: "session", sessionId: session.id });
}

async function actorFromApiToken(token: string): Promise<Actor | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashSecret(token) } });
  if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now()) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return loadActor(row.userId, { kind: "token", tokenId: row.id, tokenRole: row.role });
}

export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return value || null;
    }
  }
  return null;
}
