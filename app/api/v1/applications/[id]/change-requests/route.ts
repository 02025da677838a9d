// POST /api/v1/applications/{id}/change-requests — ask the security team for a policy change (architecture C)
import { handleOperation } from "@/lib/api/handle-operation";
import { createChangeRequestOperation } from "@/lib/api/operations";
import { createChangeRequest } from "@/lib/approvals/create-change-request";

export const POST = handleOperation(createChangeRequestOperation, ({ ctx, params, body }) =>
  createChangeRequest({ ctx, applicationId: params.id, input: body }),
);
