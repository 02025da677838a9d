import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { foldActor, type Actor } from "./actor";
import { credentialCache } from "./credential-cache";
import { findSessionCredential, findTokenCredential, type Credential } from "./find-credential";
import { hashSecret } from "./secret-token";
import { isSessionLive, isSessionTouchDue, SESSION_COOKIE, touchSession } from "./session";

export const API_TOKEN_PREFIX = "rpt_";
// lastUsedAt of a token is written at most this often, so API calls do not write on every request.
const TOKEN_TOUCH_INTERVAL_MS = 60_000;

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

/** A credential as found, with the actor it stands for folded once (null: its user is disabled). */
type Resolved = { credential: Credential; actor: Actor | null };

export async function actorFromSessionToken(token: string): Promise<Actor | null> {
  const resolved = await resolve("session", hashSecret(token));
  if (!resolved?.actor) return null;
  const { credential } = resolved;
  const now = Date.now();
  const lastSeenAt = credential.touchedAt ?? new Date(0);
  if (!isSessionLive({ revokedAt: credential.revokedAt, expiresAt: credential.expiresAt, lastSeenAt }, now)) return null;
  if (isSessionTouchDue(lastSeenAt, now)) {
    credential.touchedAt = new Date(now);
    await touchSession(credential.id, credential.touchedAt);
  }
  return resolved.actor;
}

async function actorFromApiToken(token: string): Promise<Actor | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const resolved = await resolve("token", hashSecret(token));
  if (!resolved?.actor) return null;
  const { credential } = resolved;
  const now = Date.now();
  if (credential.revokedAt || credential.expiresAt.getTime() <= now) return null;
  if (!credential.touchedAt || now - credential.touchedAt.getTime() > TOKEN_TOUCH_INTERVAL_MS) {
    credential.touchedAt = new Date(now);
    await db.apiToken.update({ where: { id: credential.id }, data: { lastUsedAt: credential.touchedAt } });
  }
  return resolved.actor;
}

/** One query (or none, from the cache) from a credential's hash to its user, memberships and grants. */
function resolve(kind: Credential["kind"], tokenHash: string): Promise<Resolved | null> {
  const read = async (): Promise<Resolved | null> => {
    const credential = kind === "token" ? await findTokenCredential(tokenHash) : await findSessionCredential(tokenHash);
    if (!credential) return null;
    const { user } = credential;
    const actor = user.disabledAt
      ? null
      : foldActor(
          { id: user.id, email: user.email, name: user.name },
          credential.memberships,
          kind === "token" ? { kind, tokenId: credential.id, tokenRole: credential.tokenRole ?? "" } : { kind, sessionId: credential.id },
        );
    return { credential, actor };
  };
  const cache = credentialCache<Resolved>();
  return cache ? cache.load(`${kind}:${tokenHash}`, read) : read();
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
