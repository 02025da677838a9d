import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { versionConflict } from "@/lib/errors/version-conflict";
import { deliveryTargetAuditView, deliveryTargetSelect, toDeliveryTargetView } from "./delivery-target-records";

/**
 * Revokes a target for good: its token stops working (its waiting polls are woken and
 * answered 401), and nothing is delivered to it any more. The row stays for the record.
 */
export async function revokeDeliveryTarget({ ctx, id, expectedVersion }: { ctx: RequestContext; id: string; expectedVersion: number }) {
  const actor = requirePermission(ctx, "delivery:manage");
  return db.$transaction(async (tx) => {
    const before = await tx.deliveryTarget.findUnique({ where: { id }, select: deliveryTargetSelect });
    if (!before) throw new AppError("NOT_FOUND", "No such delivery target.");
    if (before.revokedAt) throw new AppError("CONFLICT", "The target is already revoked.");
    const { count } = await tx.deliveryTarget.updateMany({
      where: { id, version: expectedVersion, revokedAt: null },
      data: { revokedAt: new Date(), version: { increment: 1 } },
    });
    if (count === 0) throw versionConflict(expectedVersion, before.version);
    const after = await tx.deliveryTarget.findUniqueOrThrow({ where: { id }, select: deliveryTargetSelect });
    await recordAuditEvent(tx, ctx, {
      action: "delivery.target.revoke",
      target: { type: "delivery-target", id },
      summary: { before: deliveryTargetAuditView(before), after: deliveryTargetAuditView(after) },
    });
    return toDeliveryTargetView(after, actor);
  });
}
