// GET  /api/v1/delivery/targets — the delivery targets the caller may see
// POST /api/v1/delivery/targets — register one (a proxy target's token is shown once)
import { handleOperation } from "@/lib/api/handle-operation";
import { createDeliveryTargetOperation, listDeliveryTargetsOperation } from "@/lib/api/operations";
import { createDeliveryTarget } from "@/lib/delivery/create-delivery-target";
import { findDeliveryTargets } from "@/lib/delivery/find-delivery-targets";

export const GET = handleOperation(listDeliveryTargetsOperation, ({ ctx, query }) => findDeliveryTargets({ ctx, query }));
export const POST = handleOperation(createDeliveryTargetOperation, ({ ctx, body }) => createDeliveryTarget({ ctx, input: body }));
