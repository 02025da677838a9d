// POST /api/v1/policies/{id}/versions/{versionId}/request-changes — send a submitted version back to draft with a comment (If-Match required)
import { handleOperation } from "@/lib/api/handle-operation";
import { requestPolicyVersionChangesOperation } from "@/lib/api/operations";
import { requestPolicyChanges } from "@/lib/approvals/request-policy-changes";

export const POST = handleOperation(requestPolicyVersionChangesOperation, ({ ctx, params, body, expectedVersion }) =>
  requestPolicyChanges({ ctx, policyId: params.id, versionId: params.versionId, expectedVersion, note: body.note }),
);
