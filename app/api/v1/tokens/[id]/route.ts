// DELETE /api/v1/tokens/{id} — revoke one of the caller's tokens
import { handleOperation } from "@/lib/api/handle-operation";
import { revokeTokenOperation } from "@/lib/api/operations";
import { revokeApiToken } from "@/lib/tokens/api-tokens";

export const DELETE = handleOperation(revokeTokenOperation, ({ ctx, params }) => revokeApiToken({ ctx, id: params.id }));
