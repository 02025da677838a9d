// GET  /api/v1/applications/{id}/risk-acceptances — the application's risk acceptances
// POST /api/v1/applications/{id}/risk-acceptances — accept going live without fine-grained policy, until an expiry
import { handleOperation } from "@/lib/api/handle-operation";
import { createRiskAcceptanceOperation, listRiskAcceptancesOperation } from "@/lib/api/operations";
import { createRiskAcceptance } from "@/lib/policies/create-risk-acceptance";
import { findRiskAcceptances } from "@/lib/policies/find-risk-acceptances";

export const GET = handleOperation(listRiskAcceptancesOperation, ({ actor, params }) => findRiskAcceptances({ actor, applicationId: params.id }));
export const POST = handleOperation(createRiskAcceptanceOperation, ({ ctx, params, body }) =>
  createRiskAcceptance({ ctx, applicationId: params.id, input: body }),
);
