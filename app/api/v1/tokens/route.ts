// GET  /api/v1/tokens — the caller's API tokens
// POST /api/v1/tokens — create one (secret shown once)
import { handleOperation } from "@/lib/api/handle-operation";
import { createTokenOperation, listTokensOperation } from "@/lib/api/operations";
import { createApiToken, findOwnApiTokens } from "@/lib/tokens/api-tokens";

export const GET = handleOperation(listTokensOperation, ({ ctx }) => findOwnApiTokens({ ctx }));
export const POST = handleOperation(createTokenOperation, ({ ctx, body }) => createApiToken({ ctx, input: body }));
