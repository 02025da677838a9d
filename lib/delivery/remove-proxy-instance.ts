import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { STALE_AFTER_SECONDS } from "./delivery-schemas";

/**
 * Forgets a proxy instance that stopped reporting (a replaced pod, a laptop demo), so the
 * rollout view shows the proxies that exist. Only a stale one: a live instance would come
 * back with its next heartbeat, and removing it would hide what it runs. The check and the
 * delete are one statement, so a heartbeat arriving meanwhile keeps the row.
 */
export async function removeProxyInstance({
  ctx,
  targetId,
  instanceId,
  now = new Date(),
}: {
  ctx: RequestContext;
  targetId: string;
  instanceId: string;
  now?: Date;
}) {
  requirePermission(ctx, "delivery:manage");
  const staleBefore = new Date(now.getTime() - STALE_AFTER_SECONDS * 1000);
  await db.$transaction(async (tx) => {
    const instance = await tx.proxyInstanceStatus.findUnique({
      where: { targetId_instanceId: { targetId, instanceId } },
      select: { lastSeenAt: true, hostname: true, runningHash: true },
    });
    if (!instance) throw new AppError("NOT_FOUND", "No such proxy instance of this target.");
    const { count } = await tx.proxyInstanceStatus.deleteMany({ where: { targetId, instanceId, lastSeenAt: { lte: staleBefore } } });
    if (count === 0) {
      throw new AppError("CONFLICT", `Instance ${instanceId} reported less than ${STALE_AFTER_SECONDS} s ago; only a stale instance can be removed.`, {
        details: { lastSeenAt: instance.lastSeenAt.toISOString() },
      });
    }
    await recordAuditEvent(tx, ctx, {
      action: "delivery.target.remove-instance",
      target: { type: "delivery-target", id: targetId },
      summary: { instanceId, hostname: instance.hostname, lastSeenAt: instance.lastSeenAt.toISOString(), runningHash: instance.runningHash },
    });
  });
  return null;
}
