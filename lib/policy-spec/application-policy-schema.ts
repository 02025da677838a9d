// An application's fine-grained policy, tied to one version of the
// application. Sections that mirror the baseline's are overrides: absent means
// "inherit", present means "tighten", and the merge refuses anything looser.
// Sections the baseline has no counterpart for (OpenAPI, upstream TLS, routes,
// exceptions, CORS, token verification, rate limits) belong to the application.

import { z } from "zod";
import { applicationAdminBlockingSchema } from "./sections/admin-blocking";
import { tokenVerificationSchema } from "./sections/authentication";
import { corsSchema } from "./sections/cors";
import { applicationDenyRulesSchema, applicationVirtualPatchesSchema } from "./sections/deny-rules";
import { policyExceptionsSchema } from "./sections/exceptions";
import { geolocationSchema } from "./sections/geolocation";
import { applicationIpAllowSchema } from "./sections/ip-allow";
import { allowRoutesSchema, applicationMethodsSchema } from "./sections/methods";
import { openApiSectionSchema } from "./sections/openapi";
import { apiVersionSchema, descriptionSchema, slugSchema } from "./sections/policy-fields";
import { rateLimitsSchema } from "./sections/rate-limits";
import { applicationBodiesSchema } from "./sections/request-bodies";
import { applicationLimitsSchema } from "./sections/request-limits";
import { applicationSecurityHeadersSchema } from "./sections/security-headers";
import { threatIntelSchema } from "./sections/threat-intel";
import { applicationTlsSchema, upstreamTlsSchema } from "./sections/tls";

export const applicationPolicyMetadataSchema = z.strictObject({
  application: slugSchema,
  applicationVersion: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/, "must be a version such as 2.4.1 or 2024-06-01 (letters, digits, . _ + -)"),
  description: descriptionSchema.optional(),
});

export const applicationPolicySchema = z.strictObject({
  apiVersion: apiVersionSchema,
  kind: z.literal("ApplicationPolicy"),
  metadata: applicationPolicyMetadataSchema,
  // Overrides of baseline sections: tighten only.
  tls: applicationTlsSchema.optional().describe("Tighten the public listener's TLS (never below the baseline)."),
  ipAllow: applicationIpAllowSchema.optional().describe("Additional networks and allow rules; never wider than the baseline's."),
  methods: applicationMethodsSchema.optional().describe("Restrict methods further (a subset of the baseline's)."),
  denyRules: applicationDenyRulesSchema.optional().describe("Raise levels or switch to block; lowering is refused (use an exception)."),
  virtualPatches: applicationVirtualPatchesSchema.optional().describe("Stricter virtual patch modes."),
  adminBlocking: applicationAdminBlockingSchema.optional().describe("More admin paths to block."),
  securityHeaders: applicationSecurityHeadersSchema.optional().describe("Stricter security headers, plus Content-Security-Policy and custom headers."),
  geolocation: geolocationSchema.optional().describe("Narrow the countries allowed, or deny more."),
  threatIntel: threatIntelSchema.optional().describe("More threat lists or blocked networks."),
  limits: applicationLimitsSchema.optional().describe("Lower request limits."),
  bodies: applicationBodiesSchema
    .optional()
    .describe("Refuse compressed bodies; allow XML document type declarations (flagged for review); block more upload extensions."),
  // The application's own sections.
  openapi: openApiSectionSchema
    .optional()
    .describe("Inline OpenAPI 3.0/3.1 specification; unknown paths, methods, parameters and invalid bodies are refused (block) or logged."),
  upstreamTls: upstreamTlsSchema.optional().describe("TLS from the proxy to the application."),
  allow: allowRoutesSchema.optional().describe("Only these method × path routes reach the application."),
  exceptions: policyExceptionsSchema.default([]).describe("Narrow, justified, expiring exceptions to deny rules; flagged for security review."),
  cors: corsSchema.optional().describe("Cross-origin resource sharing."),
  tokenVerification: tokenVerificationSchema.optional().describe("Token verification: issuers, audiences, keys, algorithms, required claims per path."),
  rateLimits: rateLimitsSchema.default([]).describe("Rate limits per client IP or token subject."),
});

export type ApplicationPolicy = z.output<typeof applicationPolicySchema>;
export type ApplicationPolicyInput = z.input<typeof applicationPolicySchema>;
