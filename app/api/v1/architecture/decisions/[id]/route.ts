// GET /api/v1/architecture/decisions/{id} — read one decision record
import { handleOperation } from "@/lib/api/handle-operation";
import { getArchitectureDecisionOperation } from "@/lib/api/operations";
import { getArchitectureDecision } from "@/lib/architecture/get-architecture-decision";

export const GET = handleOperation(getArchitectureDecisionOperation, ({ actor, params }) => getArchitectureDecision({ actor, id: params.id }));
