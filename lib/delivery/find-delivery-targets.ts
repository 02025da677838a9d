import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { ListDeliveryTargetsQuery } from "./delivery-schemas";
import { deliveryTargetReadScope, deliveryTargetSelect, toDeliveryTargetView } from "./delivery-target-records";

/** The targets the caller may read (a registry of a few dozen at most: not paginated). */
export async function findDeliveryTargets({ ctx, query }: { ctx: RequestContext; query: ListDeliveryTargetsQuery }) {
  const actor = requirePermission(ctx, "delivery:read");
  const records = await db.deliveryTarget.findMany({
    where: {
      AND: [
        deliveryTargetReadScope(actor),
        query.kind ? { kind: query.kind } : {},
        query.applicationId ? { applications: { some: { applicationId: query.applicationId } } } : {},
        query.revoked === "all" ? {} : { revokedAt: query.revoked === "true" ? { not: null } : null },
      ],
    },
    select: deliveryTargetSelect,
    orderBy: [{ name: "asc" }],
  });
  return { items: records.map((record) => toDeliveryTargetView(record, actor)) };
}
