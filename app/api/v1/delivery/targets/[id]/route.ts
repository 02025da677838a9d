// GET   /api/v1/delivery/targets/{id} — one delivery target (never its secrets)
// PATCH /api/v1/delivery/targets/{id} — change it (If-Match)
import { handleOperation } from "@/lib/api/handle-operation";
import { getDeliveryTargetOperation, updateDeliveryTargetOperation } from "@/lib/api/operations";
import { getDeliveryTarget } from "@/lib/delivery/get-delivery-target";
import { updateDeliveryTarget } from "@/lib/delivery/update-delivery-target";

export const GET = handleOperation(getDeliveryTargetOperation, ({ ctx, params }) => getDeliveryTarget({ ctx, id: params.id }));
export const PATCH = handleOperation(updateDeliveryTargetOperation, ({ ctx, params, body, expectedVersion }) =>
  updateDeliveryTarget({ ctx, id: params.id, expectedVersion, input: body }),
);
