// POST /api/v1/approvals/{versionId}/reject — reject a submitted version with a comment (If-Match required)
import { handleOperation } from "@/lib/api/handle-operation";
import { rejectApprovalOperation } from "@/lib/api/operations";
import { decideApproval } from "@/lib/approvals/decide-approval";

export const POST = handleOperation(rejectApprovalOperation, ({ ctx, params, body, expectedVersion }) =>
  decideApproval({ ctx, versionId: params.versionId, expectedVersion, decision: "reject", note: body.note }),
);
