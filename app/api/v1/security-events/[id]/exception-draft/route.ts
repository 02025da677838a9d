// POST /api/v1/security-events/{id}/exception-draft — "This is a false positive"
import { handleOperation } from "@/lib/api/handle-operation";
import { draftExceptionFromEventOperation } from "@/lib/api/operations";
import { draftExceptionFromEvent } from "@/lib/security-events/draft-exception-from-event";

export const POST = handleOperation(draftExceptionFromEventOperation, async ({ ctx, params, body }) =>
  draftExceptionFromEvent({ ctx, eventId: params.id, input: body }),
);
