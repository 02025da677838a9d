// POST /api/v1/delivery/status — a proxy instance's heartbeat (target token)
import { handleOperation } from "@/lib/api/handle-operation";
import { reportDeliveryStatusOperation } from "@/lib/api/operations";
import { recordProxyStatus } from "@/lib/delivery/record-proxy-status";
import { requireDeliveryTarget } from "@/lib/delivery/authenticate-delivery-target";

export const POST = handleOperation(reportDeliveryStatusOperation, async ({ deliveryTarget, body }) => {
  await recordProxyStatus({ target: requireDeliveryTarget(deliveryTarget), report: body });
  return null;
});
