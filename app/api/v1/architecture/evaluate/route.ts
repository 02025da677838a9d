// POST /api/v1/architecture/evaluate — recommend an architecture for questionnaire answers (public, throttled per IP)
import { handleOperation } from "@/lib/api/handle-operation";
import { evaluateArchitectureOperation } from "@/lib/api/operations";
import { evaluateArchitectureRequest } from "@/lib/architecture/evaluate-architecture-request";

export const POST = handleOperation(evaluateArchitectureOperation, ({ ctx, body }) => evaluateArchitectureRequest({ ctx, answers: body.answers }));
