// POST /api/v1/delivery/targets/{id}/rotate-token — a new proxy token, shown once; the old one stops working
import { handleOperation } from "@/lib/api/handle-operation";
import { rotateDeliveryTokenOperation } from "@/lib/api/operations";
import { rotateDeliveryToken } from "@/lib/delivery/rotate-delivery-token";

export const POST = handleOperation(rotateDeliveryTokenOperation, ({ ctx, params, expectedVersion }) =>
  rotateDeliveryToken({ ctx, id: params.id, expectedVersion }),
);
