// POST /api/v1/delivery/events — a proxy's security events batch (target token)
import { handleOperation } from "@/lib/api/handle-operation";
import { ingestSecurityEventsOperation } from "@/lib/api/operations";
import { requireDeliveryTarget } from "@/lib/delivery/authenticate-delivery-target";
import { ingestSecurityEvents } from "@/lib/security-events/ingest-security-events";

export const POST = handleOperation(ingestSecurityEventsOperation, async ({ deliveryTarget, body }) => {
  const result = await ingestSecurityEvents({ target: requireDeliveryTarget(deliveryTarget), batch: body });
  return result.kind === "duplicate"
    ? { body: { stored: 0, duplicate: true }, status: 200 }
    : { body: { stored: result.kind === "stored" ? result.events : 0, duplicate: false } };
});
