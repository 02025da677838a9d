import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { versionConflict } from "@/lib/errors/version-conflict";
import { deliveryTargetSelect, toDeliveryTargetView } from "./delivery-target-records";
import { newDeliveryToken } from "./delivery-token";

/**
 * Gives a proxy target a new token (returned once) and invalidates the old one at once:
 * the proxies polling with it get 401 on their next request (or when their wait ends)
 * and keep serving their last good set until they are given the new token.
 */
export async function rotateDeliveryToken({ ctx, id, expectedVersion }: { ctx: RequestContext; id: string; expectedVersion: number }) {
  const actor = requirePermission(ctx, "delivery:manage");
  const issued = newDeliveryToken();
  return db.$transaction(async (tx) => {
    const current = await tx.deliveryTarget.findUnique({ where: { id }, select: { kind: true, revokedAt: true, tokenPrefix: true, version: true } });
    if (!current) throw new AppError("NOT_FOUND", "No such delivery target.");
    if (current.kind !== "proxy") throw new AppError("CONFLICT", `A ${current.kind} target has no token to rotate.`);
    if (current.revokedAt) throw new AppError("CONFLICT", "The target is revoked; register a new one instead.");
    const { count } = await tx.deliveryTarget.updateMany({
      where: { id, version: expectedVersion, revokedAt: null },
      data: { tokenHash: issued.tokenHash, tokenPrefix: issued.tokenPrefix, tokenIssuedAt: new Date(), version: { increment: 1 } },
    });
    if (count === 0) throw versionConflict(expectedVersion, current.version);
    const after = await tx.deliveryTarget.findUniqueOrThrow({ where: { id }, select: deliveryTargetSelect });
    await recordAuditEvent(tx, ctx, {
      action: "delivery.target.rotate-token",
      target: { type: "delivery-target", id },
      summary: { before: { tokenPrefix: current.tokenPrefix }, after: { tokenPrefix: after.tokenPrefix } },
    });
    return { ...toDeliveryTargetView(after, actor), token: issued.token };
  });
}
