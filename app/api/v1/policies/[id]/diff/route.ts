// GET /api/v1/policies/{id}/diff?to=…&from=… — the semantic difference between two versions
import { handleOperation } from "@/lib/api/handle-operation";
import { diffPolicyVersionsOperation } from "@/lib/api/operations";
import { diffPolicyVersions } from "@/lib/policies/diff-policy-versions";

export const GET = handleOperation(diffPolicyVersionsOperation, ({ actor, params, query }) =>
  diffPolicyVersions({ actor, policyId: params.id, toId: query.to, fromId: query.from }),
);
