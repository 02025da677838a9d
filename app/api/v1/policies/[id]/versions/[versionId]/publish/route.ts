// POST /api/v1/policies/{id}/versions/{versionId}/publish — publish an approved version (If-Match required)
import { handleOperation } from "@/lib/api/handle-operation";
import { publishPolicyVersionOperation } from "@/lib/api/operations";
import { publishPolicyVersion } from "@/lib/policies/publish-policy-version";

export const POST = handleOperation(publishPolicyVersionOperation, ({ ctx, params, expectedVersion }) =>
  publishPolicyVersion({ ctx, policyId: params.id, versionId: params.versionId, expectedVersion }),
);
