// The effective policy of one application: the baseline with the application's
// policy layered on top, fully resolved, plus where each setting came from.
// Built by mergePolicies, read by the compiler and shown in the portal.

import { z } from "zod";
import { baselineAdminBlockingSchema } from "./sections/admin-blocking";
import { claimRuleSchema, tokenIssuerSchema } from "./sections/authentication";
import { baselineContentProfilesSchema } from "./sections/content-profiles";
import { corsSchema } from "./sections/cors";
import { baselineDenyRulesSchema, baselineVirtualPatchesSchema } from "./sections/deny-rules";
import { exceptionPolicySchema, policyExceptionsSchema } from "./sections/exceptions";
import { geolocationSchema } from "./sections/geolocation";
import { applicationIpAllowSchema } from "./sections/ip-allow";
import { allowRoutesSchema, baselineMethodsSchema } from "./sections/methods";
import { openApiSectionSchema } from "./sections/openapi";
import { pathPatternListSchema } from "./sections/policy-fields";
import { rateLimitsSchema } from "./sections/rate-limits";
import { effectiveBodiesSchema } from "./sections/request-bodies";
import { baselineLimitsSchema } from "./sections/request-limits";
import { baselineSecurityHeadersSchema, contentSecurityPolicySchema, customHeadersSchema } from "./sections/security-headers";
import { threatIntelSchema } from "./sections/threat-intel";
import { baselineTlsSchema, upstreamTlsSchema } from "./sections/tls";

export const SETTING_ORIGINS = ["baseline", "application"] as const;
export type SettingOrigin = (typeof SETTING_ORIGINS)[number];

const sha256Ref = z.string().regex(/^sha256:[0-9a-f]{64}$/);

/** Which policy documents (and, from the portal, which stored versions) an effective policy or bundle came from. */
export const policySourcesSchema = z.strictObject({
  baseline: z.strictObject({
    name: z.string(),
    environment: z.string().nullable(),
    contentHash: sha256Ref,
    versionId: z.string().nullable(),
  }),
  application: z
    .strictObject({
      application: z.string(),
      applicationVersion: z.string(),
      contentHash: sha256Ref,
      versionId: z.string().nullable(),
    })
    .nullable(),
});
export type PolicySources = z.output<typeof policySourcesSchema>;

export const effectivePolicySchema = z.strictObject({
  kind: z.literal("EffectivePolicy"),
  sources: policySourcesSchema,
  tls: baselineTlsSchema,
  upstreamTls: upstreamTlsSchema.nullable(),
  /** Networks of both policies; baseline rules and application rules, all enforced together. */
  ipAllow: applicationIpAllowSchema,
  methods: baselineMethodsSchema,
  /** null: no route allow list. */
  allow: allowRoutesSchema.nullable(),
  denyRules: baselineDenyRulesSchema,
  virtualPatches: baselineVirtualPatchesSchema,
  adminBlocking: baselineAdminBlockingSchema,
  securityHeaders: baselineSecurityHeadersSchema.extend({
    contentSecurityPolicy: contentSecurityPolicySchema.nullable(),
    custom: customHeadersSchema,
  }),
  cors: corsSchema.nullable(),
  authentication: z.strictObject({
    required: z.boolean(),
    issuers: z.array(tokenIssuerSchema),
    publicPaths: pathPatternListSchema,
    rules: z.array(claimRuleSchema),
    clockSkewSeconds: z.int(),
  }),
  geolocation: geolocationSchema,
  threatIntel: threatIntelSchema,
  limits: baselineLimitsSchema,
  bodies: effectiveBodiesSchema,
  rateLimits: rateLimitsSchema,
  openapi: openApiSectionSchema.nullable(),
  exceptionPolicy: exceptionPolicySchema,
  /** The baseline's floor for content fields: the families that may give way to a field's content profile. */
  contentProfiles: baselineContentProfilesSchema,
  /** Unexpired exceptions only; every one is also listed in `flags`. */
  exceptions: policyExceptionsSchema,
  /** Exceptions left out because their expiry date has passed. */
  droppedExceptions: z.array(z.strictObject({ id: z.string(), expires: z.string(), message: z.string() })),
  /** Settings the security team should look at: exceptions, disabled upstream verification. */
  flags: z.array(z.strictObject({ path: z.string(), message: z.string() })),
  /** JSON path of each setting → the policy it came from. */
  origins: z.record(z.string(), z.enum(SETTING_ORIGINS)),
});
export type EffectivePolicy = z.output<typeof effectivePolicySchema>;
