// POST /api/v1/policies/{id}/versions/{versionId}/rollback — put an earlier published version back in force (a new version)
import { handleOperation } from "@/lib/api/handle-operation";
import { rollbackPolicyVersionOperation } from "@/lib/api/operations";
import { rollbackPolicyVersion } from "@/lib/policies/rollback-policy-version";

export const POST = handleOperation(rollbackPolicyVersionOperation, ({ ctx, params, body, expectedVersion }) =>
  rollbackPolicyVersion({ ctx, policyId: params.id, versionId: params.versionId, expectedVersion, note: body.note }),
);
