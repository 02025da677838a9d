import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { deliveryTargetReadScope, deliveryTargetSelect, toDeliveryTargetView } from "./delivery-target-records";

/** One target the caller may read; another team's is "not found". Never its secrets. */
export async function getDeliveryTarget({ ctx, id }: { ctx: RequestContext; id: string }) {
  const actor = requirePermission(ctx, "delivery:read");
  const record = await db.deliveryTarget.findFirst({ where: { AND: [{ id }, deliveryTargetReadScope(actor)] }, select: deliveryTargetSelect });
  if (!record) throw new AppError("NOT_FOUND", "No such delivery target.");
  return toDeliveryTargetView(record, actor);
}
