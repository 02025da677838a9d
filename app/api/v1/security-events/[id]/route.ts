// GET /api/v1/security-events/{id} — one event, its rule, the exception it proposes
import { handleOperation } from "@/lib/api/handle-operation";
import { getSecurityEventOperation } from "@/lib/api/operations";
import { getSecurityEvent } from "@/lib/security-events/get-security-event";

export const GET = handleOperation(getSecurityEventOperation, async ({ actor, params }) => getSecurityEvent({ actor, id: params.id }));
