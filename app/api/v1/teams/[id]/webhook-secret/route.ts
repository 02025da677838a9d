// POST /api/v1/teams/{id}/webhook-secret — generate the team webhook's signing secret, shown once (If-Match required)
import { handleOperation } from "@/lib/api/handle-operation";
import { rotateTeamWebhookSecretOperation } from "@/lib/api/operations";
import { rotateTeamWebhookSecret } from "@/lib/teams/rotate-team-webhook-secret";

export const POST = handleOperation(rotateTeamWebhookSecretOperation, ({ ctx, params, expectedVersion }) =>
  rotateTeamWebhookSecret({ ctx, id: params.id, expectedVersion }),
);
