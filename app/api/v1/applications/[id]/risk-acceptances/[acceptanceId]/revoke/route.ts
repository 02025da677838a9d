// POST /api/v1/applications/{id}/risk-acceptances/{acceptanceId}/revoke — end a risk acceptance early
import { handleOperation } from "@/lib/api/handle-operation";
import { revokeRiskAcceptanceOperation } from "@/lib/api/operations";
import { revokeRiskAcceptance } from "@/lib/policies/revoke-risk-acceptance";

export const POST = handleOperation(revokeRiskAcceptanceOperation, ({ ctx, params }) =>
  revokeRiskAcceptance({ ctx, applicationId: params.id, acceptanceId: params.acceptanceId }),
);
