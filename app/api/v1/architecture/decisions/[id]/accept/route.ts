// POST /api/v1/architecture/decisions/{id}/accept — accept a proposed decision record (If-Match required)
import { handleOperation } from "@/lib/api/handle-operation";
import { acceptArchitectureDecisionOperation } from "@/lib/api/operations";
import { acceptArchitectureDecision } from "@/lib/architecture/accept-architecture-decision";

export const POST = handleOperation(acceptArchitectureDecisionOperation, ({ ctx, params, expectedVersion }) =>
  acceptArchitectureDecision({ ctx, id: params.id, expectedVersion }),
);
