// GET /api/v1/applications/{id}/policy/effective — the application's effective policy, each setting with its origin
import { handleOperation } from "@/lib/api/handle-operation";
import { getEffectivePolicyOperation } from "@/lib/api/operations";
import { getEffectivePolicy } from "@/lib/policies/get-effective-policy";

export const GET = handleOperation(getEffectivePolicyOperation, ({ actor, params, query }) => getEffectivePolicy({ actor, applicationId: params.id, query }));
