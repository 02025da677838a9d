// The security team's baseline: one per organisation (optionally per
// environment), applied to every application. Every section has defaults, so
// the smallest valid baseline is apiVersion, kind and metadata, and it already
// protects: all deny families at standard/block, Log4Shell patched, admin paths
// blocked, standard security headers.

import { z } from "zod";
import { baselineAdminBlockingSchema } from "./sections/admin-blocking";
import { baselineAuthenticationSchema } from "./sections/authentication";
import { baselineContentProfilesSchema } from "./sections/content-profiles";
import { baselineDenyRulesSchema, baselineVirtualPatchesSchema } from "./sections/deny-rules";
import { exceptionPolicySchema } from "./sections/exceptions";
import { geolocationSchema } from "./sections/geolocation";
import { baselineIpAllowSchema } from "./sections/ip-allow";
import { baselineMethodsSchema } from "./sections/methods";
import { apiVersionSchema, descriptionSchema, slugSchema } from "./sections/policy-fields";
import { baselineBodiesSchema } from "./sections/request-bodies";
import { baselineLimitsSchema } from "./sections/request-limits";
import { baselineSecurityHeadersSchema } from "./sections/security-headers";
import { threatIntelSchema } from "./sections/threat-intel";
import { baselineTlsSchema } from "./sections/tls";

export const baselinePolicyMetadataSchema = z.strictObject({
  name: slugSchema,
  /** Absent: applies to every environment. */
  environment: slugSchema.optional(),
  description: descriptionSchema.optional(),
});

export const baselinePolicySchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal("BaselinePolicy"),
  metadata: baselinePolicyMetadataSchema,
  tls: baselineTlsSchema.prefault({}).describe("TLS for public listeners: minimum version, cipher suites, certificates."),
  ipAllow: baselineIpAllowSchema.prefault({}).describe("Named networks and path-scoped allow-only-from rules (all matching rules apply)."),
  methods: baselineMethodsSchema.prefault({}).describe("HTTP methods allowed at all."),
  denyRules: baselineDenyRulesSchema.prefault({}).describe("Attack families, each with a level (basic|standard|strict) and a mode (block|log-only)."),
  virtualPatches: baselineVirtualPatchesSchema.prefault({}).describe("Patches for current vulnerabilities (log4shell)."),
  adminBlocking: baselineAdminBlockingSchema.prefault({}).describe("Administration paths blocked with everything below them, in any letter case."),
  securityHeaders: baselineSecurityHeadersSchema
    .prefault({})
    .describe("Security response headers: HSTS, X-Frame-Options, X-Content-Type-Options, Referrer-Policy, Permissions-Policy."),
  authentication: baselineAuthenticationSchema.prefault({}).describe("Require a valid token from named issuers for all but the public paths."),
  geolocation: geolocationSchema.prefault({}).describe("Allow or deny traffic by ISO 3166-1 alpha-2 country code."),
  threatIntel: threatIntelSchema.prefault({}).describe("Threat-intelligence IP lists and blocked networks."),
  limits: baselineLimitsSchema.prefault({}).describe("Request size limits, in bytes or counts, and what happens to what the proxy could not inspect."),
  bodies: baselineBodiesSchema
    .prefault({})
    .describe("How request bodies are read: compressed bodies decoded or refused; uploads with a blocked extension refused."),
  exceptionPolicy: exceptionPolicySchema.prefault({}).describe("What exceptions applications may declare: lifetime and non-exempt families."),
  contentProfiles: baselineContentProfilesSchema
    .prefault({})
    .describe("Which deny families may give way on fields the application's OpenAPI specification marks as free text (x-rampart-content)."),
});

/** A validated baseline with every default filled in. */
export type BaselinePolicy = z.output<typeof baselinePolicySchema>;
/** What an author may write: defaults may be left out. */
export type BaselinePolicyInput = z.input<typeof baselinePolicySchema>;
