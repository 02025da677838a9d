// GET  /api/v1/policies — list the policies the caller may see
// POST /api/v1/policies — create a policy with its first draft (JSON or a YAML document)
import { handleOperation } from "@/lib/api/handle-operation";
import { createPolicyOperation, listPoliciesOperation } from "@/lib/api/operations";
import { createPolicy } from "@/lib/policies/create-policy";
import { findPolicies } from "@/lib/policies/find-policies";

export const GET = handleOperation(listPoliciesOperation, ({ actor, query }) => findPolicies({ actor, query }));
export const POST = handleOperation(createPolicyOperation, ({ ctx, body }) => createPolicy({ ctx, input: body }));
