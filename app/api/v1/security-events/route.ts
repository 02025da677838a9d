// GET /api/v1/security-events — security events, newest first, {items, nextCursor}
import { handleOperation } from "@/lib/api/handle-operation";
import { listSecurityEventsOperation } from "@/lib/api/operations";
import { findSecurityEvents } from "@/lib/security-events/find-security-events";

export const GET = handleOperation(listSecurityEventsOperation, async ({ actor, query }) => findSecurityEvents({ actor, query }));
