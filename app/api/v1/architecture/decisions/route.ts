// GET  /api/v1/architecture/decisions — list decision records the caller may see
// POST /api/v1/architecture/decisions — propose a decision record
import { handleOperation } from "@/lib/api/handle-operation";
import { createArchitectureDecisionOperation, listArchitectureDecisionsOperation } from "@/lib/api/operations";
import { createArchitectureDecision } from "@/lib/architecture/create-architecture-decision";
import { findArchitectureDecisions } from "@/lib/architecture/find-architecture-decisions";

export const GET = handleOperation(listArchitectureDecisionsOperation, ({ actor, query }) => findArchitectureDecisions({ actor, query }));
export const POST = handleOperation(createArchitectureDecisionOperation, ({ ctx, body }) => createArchitectureDecision({ ctx, input: body }));
