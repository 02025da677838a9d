import { apiTokenListSchema, apiTokenSchema, createApiTokenInput, createdApiTokenSchema } from "@/lib/tokens/token-schemas";
import { defineOperation, idParams } from "../operation";

export const listTokensOperation = defineOperation({
  id: "listTokens",
  method: "GET",
  path: "/tokens",
  summary: "List the caller's API tokens (never the secrets)",
  tag: "tokens",
  access: "tokens:manage-own",
  response: apiTokenListSchema,
});

export const createTokenOperation = defineOperation({
  id: "createToken",
  method: "POST",
  path: "/tokens",
  summary: "Create an API token; the secret is in this response only",
  tag: "tokens",
  access: "tokens:manage-own",
  body: createApiTokenInput,
  response: createdApiTokenSchema,
  successStatus: 201,
});

export const revokeTokenOperation = defineOperation({
  id: "revokeToken",
  method: "DELETE",
  path: "/tokens/{id}",
  summary: "Revoke one of the caller's API tokens",
  tag: "tokens",
  access: "tokens:manage-own",
  params: idParams,
  response: apiTokenSchema,
});
