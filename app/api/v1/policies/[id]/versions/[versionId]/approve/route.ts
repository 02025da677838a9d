// POST /api/v1/policies/{id}/versions/{versionId}/approve — approve a submitted version with a comment (If-Match required)
import { handleOperation } from "@/lib/api/handle-operation";
import { approvePolicyVersionOperation } from "@/lib/api/operations";
import { approvePolicyVersion } from "@/lib/policies/approve-policy-version";

export const POST = handleOperation(approvePolicyVersionOperation, ({ ctx, params, body, expectedVersion }) =>
  approvePolicyVersion({ ctx, policyId: params.id, versionId: params.versionId, expectedVersion, note: body.note }),
);
