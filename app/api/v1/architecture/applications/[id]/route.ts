// GET /api/v1/architecture/applications/{id} — the architecture in force for an application and what it means
import { handleOperation } from "@/lib/api/handle-operation";
import { getEffectiveArchitectureOperation } from "@/lib/api/operations";
import { getEffectiveArchitecture } from "@/lib/architecture/get-effective-architecture";

export const GET = handleOperation(getEffectiveArchitectureOperation, ({ actor, params }) => getEffectiveArchitecture({ actor, applicationId: params.id }));
