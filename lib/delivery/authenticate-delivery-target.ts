import "server-only";
import { hashSecret } from "@/lib/auth/secret-token";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { DELIVERY_TOKEN_PREFIX } from "./delivery-token";

/** A proxy calling with its target's token: a principal of its own, never a user. */
export type DeliveryTargetPrincipal = { id: string; name: string; mode: "gateway" | "microgateway"; environment: string | null };

const REFUSED = "The delivery token is unknown or revoked.";
// Recording every poll would write once per proxy per long poll; once every few seconds is enough for "last seen".
const LAST_SEEN_EVERY_MS = 5_000;

/**
 * The proxy target a request's Bearer token belongs to. Anything else (no header, a user's
 * API token, a revoked or rotated token, a target that is not a proxy) is 401, so a proxy
 * keeps serving its last good set and an attacker learns nothing about which it was.
 */
export async function authenticateDeliveryTarget(headers: Headers): Promise<DeliveryTargetPrincipal> {
  const match = /^Bearer\s+(\S+)$/i.exec(headers.get("authorization") ?? "");
  const token = match?.[1];
  if (!token || !token.startsWith(DELIVERY_TOKEN_PREFIX)) throw new AppError("UNAUTHENTICATED", REFUSED);
  const target = await db.deliveryTarget.findUnique({
    where: { tokenHash: hashSecret(token) },
    select: { id: true, name: true, kind: true, mode: true, environment: true, revokedAt: true, lastSeenAt: true },
  });
  if (!target || target.kind !== "proxy" || target.revokedAt || (target.mode !== "gateway" && target.mode !== "microgateway")) {
    throw new AppError("UNAUTHENTICATED", REFUSED);
  }
  if (!target.lastSeenAt || Date.now() - target.lastSeenAt.getTime() > LAST_SEEN_EVERY_MS) {
    // updateMany: no version bump, so no wake-up of the long polls (see the migration's trigger).
    await db.deliveryTarget.updateMany({ where: { id: target.id }, data: { lastSeenAt: new Date() } });
  }
  return { id: target.id, name: target.name, mode: target.mode, environment: target.environment };
}

/** Whether the target still accepts the token it was authenticated with (a long poll re-checks it after waiting). */
export async function isDeliveryTokenLive(targetId: string, headers: Headers): Promise<boolean> {
  try {
    return (await authenticateDeliveryTarget(headers)).id === targetId;
  } catch (error) {
    if (error instanceof AppError && error.code === "UNAUTHENTICATED") return false;
    throw error;
  }
}

/** The principal of a "delivery-target" operation; its absence is a refusal, never a fallback. */
export function requireDeliveryTarget(target: DeliveryTargetPrincipal | null): DeliveryTargetPrincipal {
  if (!target) throw new AppError("UNAUTHENTICATED", REFUSED);
  return target;
}
