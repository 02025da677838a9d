// POST /api/v1/change-requests/{requestId}/decision — accept or decline a change request (If-Match required)
import { handleOperation } from "@/lib/api/handle-operation";
import { decideChangeRequestOperation } from "@/lib/api/operations";
import { decideChangeRequest } from "@/lib/approvals/decide-change-request";

export const POST = handleOperation(decideChangeRequestOperation, ({ ctx, params, body, expectedVersion }) =>
  decideChangeRequest({ ctx, requestId: params.requestId, expectedVersion, input: body }),
);
