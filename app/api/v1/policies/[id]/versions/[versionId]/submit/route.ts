// POST /api/v1/policies/{id}/versions/{versionId}/submit — submit a draft for review with a summary (If-Match required)
import { handleOperation } from "@/lib/api/handle-operation";
import { submitPolicyVersionOperation } from "@/lib/api/operations";
import { submitPolicyVersion } from "@/lib/policies/submit-policy-version";

export const POST = handleOperation(submitPolicyVersionOperation, ({ ctx, params, body, expectedVersion }) =>
  submitPolicyVersion({ ctx, policyId: params.id, versionId: params.versionId, expectedVersion, summary: body.summary }),
);
