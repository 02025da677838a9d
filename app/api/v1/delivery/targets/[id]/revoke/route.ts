// POST /api/v1/delivery/targets/{id}/revoke — revoke a target for good
import { handleOperation } from "@/lib/api/handle-operation";
import { revokeDeliveryTargetOperation } from "@/lib/api/operations";
import { revokeDeliveryTarget } from "@/lib/delivery/revoke-delivery-target";

export const POST = handleOperation(revokeDeliveryTargetOperation, ({ ctx, params, expectedVersion }) =>
  revokeDeliveryTarget({ ctx, id: params.id, expectedVersion }),
);
