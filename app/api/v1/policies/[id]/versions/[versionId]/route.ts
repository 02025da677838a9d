// GET /api/v1/policies/{id}/versions/{versionId} — one version with its content
// PUT /api/v1/policies/{id}/versions/{versionId} — replace a draft's content (If-Match required)
import { handleOperation } from "@/lib/api/handle-operation";
import { getPolicyVersionOperation, updatePolicyDraftOperation } from "@/lib/api/operations";
import { getPolicyVersion } from "@/lib/policies/get-policy-version";
import { updatePolicyDraft } from "@/lib/policies/update-policy-draft";

export const GET = handleOperation(getPolicyVersionOperation, ({ actor, params }) =>
  getPolicyVersion({ actor, policyId: params.id, versionId: params.versionId }),
);
export const PUT = handleOperation(updatePolicyDraftOperation, ({ ctx, params, body, expectedVersion }) =>
  updatePolicyDraft({ ctx, policyId: params.id, versionId: params.versionId, expectedVersion, input: body }),
);
