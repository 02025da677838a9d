// POST /api/v1/approvals/{versionId}/request-changes — send a submitted version back to draft with a comment (If-Match required)
import { handleOperation } from "@/lib/api/handle-operation";
import { requestApprovalChangesOperation } from "@/lib/api/operations";
import { decideApproval } from "@/lib/approvals/decide-approval";

export const POST = handleOperation(requestApprovalChangesOperation, ({ ctx, params, body, expectedVersion }) =>
  decideApproval({ ctx, versionId: params.versionId, expectedVersion, decision: "request-changes", note: body.note }),
);
