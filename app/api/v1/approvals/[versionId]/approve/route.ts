// POST /api/v1/approvals/{versionId}/approve — approve a submitted version with a comment (If-Match required)
import { handleOperation } from "@/lib/api/handle-operation";
import { approveApprovalOperation } from "@/lib/api/operations";
import { decideApproval } from "@/lib/approvals/decide-approval";

export const POST = handleOperation(approveApprovalOperation, ({ ctx, params, body, expectedVersion }) =>
  decideApproval({ ctx, versionId: params.versionId, expectedVersion, decision: "approve", note: body.note }),
);
