// GET /api/v1/delivery/bundle?hash=&wait= — a proxy's signed delivery set, long-polled (target token)
import { handleOperation } from "@/lib/api/handle-operation";
import { getDeliveryBundleOperation } from "@/lib/api/operations";
import { deliveryBundleResponse } from "@/lib/delivery/delivery-bundle-response";
import { requireDeliveryTarget } from "@/lib/delivery/authenticate-delivery-target";

export const GET = handleOperation(getDeliveryBundleOperation, ({ deliveryTarget, query, request }) =>
  deliveryBundleResponse({ target: requireDeliveryTarget(deliveryTarget), query, request }),
);
