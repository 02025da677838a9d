import { z } from "zod";
import { roleSchema } from "@/lib/auth/roles";

export const ssoProviderViewSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  issuer: z.string(),
  clientId: z.string(),
  scopes: z.string(),
  groupsClaim: z.string(),
  emailVerifiedClaim: z.string(),
  idTokenAlg: z.string(),
  /** Register these two at the provider. */
  redirectUri: z.string(),
  postLogoutRedirectUri: z.string(),
  /** How many people have signed in through it. */
  identityCount: z.number().int(),
});

export const ssoGroupMappingSchema = z.object({
  /** Null for a mapping from the environment (RAMPART_OIDC_<ID>_GROUP_MAPPINGS): changed there, not here. */
  id: z.uuid().nullable(),
  provider: z.string(),
  group: z.string(),
  teamSlug: z.string(),
  /** Null when the environment names a team that does not exist (the mapping grants nothing). */
  teamId: z.uuid().nullable(),
  teamName: z.string().nullable(),
  role: z.string(),
  source: z.enum(["environment", "portal"]),
  createdAt: z.iso.datetime().nullable(),
  createdBy: z.string().nullable(),
});
export type SsoGroupMappingView = z.output<typeof ssoGroupMappingSchema>;

export const ssoConfigurationSchema = z.object({
  providers: z.array(ssoProviderViewSchema),
  mappings: z.array(ssoGroupMappingSchema),
  ssoOnly: z.boolean(),
  breakGlassEmail: z.string().nullable(),
});
export type SsoConfigurationView = z.output<typeof ssoConfigurationSchema>;

export const createSsoGroupMappingInput = z.strictObject({
  provider: z.string().min(1, "is required").max(32),
  group: z.string().trim().min(1, "is required").max(256),
  teamId: z.uuid({ error: "must be a team" }),
  role: roleSchema,
});
export type CreateSsoGroupMappingInput = z.input<typeof createSsoGroupMappingInput>;

/** What a mapping change did at once to the people who signed in through its provider. */
export const ssoMappingChangeSchema = z.object({
  mapping: ssoGroupMappingSchema,
  membershipsAdded: z.number().int(),
  membershipsRemoved: z.number().int(),
});

export const ssoStartQuery = z.object({ next: z.string().max(2000).optional() });
export const ssoProviderParams = z.strictObject({
  provider: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, "is not a provider id"),
});
