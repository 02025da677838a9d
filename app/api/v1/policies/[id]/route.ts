// GET /api/v1/policies/{id} — a policy with its version history
import { handleOperation } from "@/lib/api/handle-operation";
import { getPolicyOperation } from "@/lib/api/operations";
import { getPolicy } from "@/lib/policies/get-policy";

export const GET = handleOperation(getPolicyOperation, ({ actor, params }) => getPolicy({ actor, id: params.id }));
