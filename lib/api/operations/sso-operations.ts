import { z } from "zod";
import { createSsoGroupMappingInput, ssoConfigurationSchema, ssoMappingChangeSchema, ssoProviderParams, ssoStartQuery } from "@/lib/auth/sso/sso-schemas";
import { defineOperation, idParams } from "../operation";

// The browser's way through single sign-on: both answer with a redirect (to the provider,
// back into the portal, or to the page explaining why the sign-in stopped), never JSON.
export const startSsoSignInOperation = defineOperation({
  id: "startSsoSignIn",
  method: "GET",
  path: "/auth/sso/{provider}/start",
  summary: "Begin single sign-on with a provider: redirects (303) to its authorization endpoint and sets the flow cookie",
  tag: "auth",
  access: "public",
  params: ssoProviderParams,
  query: ssoStartQuery,
  response: z.null(),
  rawResponse: { mediaType: "text/plain" },
});

export const completeSsoSignInOperation = defineOperation({
  id: "completeSsoSignIn",
  method: "GET",
  path: "/auth/sso/{provider}/callback",
  summary: "The provider's redirect back: checks the response, signs in (session cookie) and redirects (303) into the portal or to the failure page",
  tag: "auth",
  access: "public",
  params: ssoProviderParams,
  response: z.null(),
  rawResponse: { mediaType: "text/plain" },
});

export const getSsoConfigurationOperation = defineOperation({
  id: "getSsoConfiguration",
  method: "GET",
  path: "/sso",
  summary: "Single sign-on providers (no secrets), the group mappings in force and the sign-in mode",
  tag: "sso",
  access: "sso:read",
  response: ssoConfigurationSchema,
});

export const createSsoGroupMappingOperation = defineOperation({
  id: "createSsoGroupMapping",
  method: "POST",
  path: "/sso/mappings",
  summary: "Map a provider's group to a role in a team; applied at once to everyone who signed in through the provider",
  tag: "sso",
  access: "sso:manage",
  body: createSsoGroupMappingInput,
  response: ssoMappingChangeSchema,
  successStatus: 201,
});

export const deleteSsoGroupMappingOperation = defineOperation({
  id: "deleteSsoGroupMapping",
  method: "DELETE",
  path: "/sso/mappings/{id}",
  summary: "Remove a group mapping (those from the environment are changed there); the roles it gave go at once",
  tag: "sso",
  access: "sso:manage",
  params: idParams,
  response: ssoMappingChangeSchema.omit({ mapping: true }),
});
