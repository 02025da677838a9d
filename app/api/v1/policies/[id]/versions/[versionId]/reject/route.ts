// POST /api/v1/policies/{id}/versions/{versionId}/reject — reject a submitted version, saying why (If-Match required)
import { handleOperation } from "@/lib/api/handle-operation";
import { rejectPolicyVersionOperation } from "@/lib/api/operations";
import { rejectPolicyVersion } from "@/lib/policies/reject-policy-version";

export const POST = handleOperation(rejectPolicyVersionOperation, ({ ctx, params, body, expectedVersion }) =>
  rejectPolicyVersion({ ctx, policyId: params.id, versionId: params.versionId, expectedVersion, note: body.note }),
);
