// Security response headers. The baseline sets them for everyone; an
// application may only make them stricter, and adds its own Content-Security-Policy
// and custom headers.

import { z } from "zod";
import { headerNameSchema, headerValueSchema } from "./policy-fields";

export const FRAME_OPTIONS = ["off", "SAMEORIGIN", "DENY"] as const; // weakest first
export const CONTENT_TYPE_OPTIONS = ["off", "nosniff"] as const; // weakest first

export const REFERRER_POLICIES = [
  "off",
  "no-referrer",
  "no-referrer-when-downgrade",
  "origin",
  "origin-when-cross-origin",
  "same-origin",
  "strict-origin",
  "strict-origin-when-cross-origin",
  "unsafe-url",
] as const;
export type ReferrerPolicy = (typeof REFERRER_POLICIES)[number];

/**
 * What each policy sends as Referer: [same-origin, cross-origin, HTTPS→HTTP],
 * 0 nothing, 1 the origin, 2 the full URL. The policies form no total order,
 * so "at least as strict" means "sends no more in any situation". "off" sends
 * no header, leaving the browser default, which old browsers read as
 * no-referrer-when-downgrade.
 */
export const REFERRER_LEAKAGE: Record<ReferrerPolicy, readonly [number, number, number]> = {
  "no-referrer": [0, 0, 0],
  "same-origin": [2, 0, 0],
  "strict-origin": [1, 1, 0],
  "strict-origin-when-cross-origin": [2, 1, 0],
  origin: [1, 1, 1],
  "origin-when-cross-origin": [2, 1, 1],
  "no-referrer-when-downgrade": [2, 2, 0],
  "unsafe-url": [2, 2, 2],
  off: [2, 2, 0],
};

/** A Permissions-Policy allowlist entry: self, *, or an origin. */
const permissionsOriginSchema = z
  .string()
  .regex(/^(self|\*|https?:\/\/[a-z0-9.-]+(:\d{1,5})?)$/, 'must be "self", "*" or an origin such as https://example.com');

/** Feature → allowlist; an empty list disables the feature (`camera=()`). */
export const permissionsPolicySchema = z.record(
  z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a Permissions-Policy feature name such as camera"),
  z.array(permissionsOriginSchema),
);

export const baselineHstsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  maxAgeSeconds: z.int().min(0).max(63_072_000, "at most two years (63072000 seconds)").default(31_536_000),
  includeSubDomains: z.boolean().default(true),
  preload: z.boolean().default(false),
});

export const baselineSecurityHeadersSchema = z.strictObject({
  hsts: baselineHstsSchema.prefault({}),
  frameOptions: z.enum(FRAME_OPTIONS).default("DENY"),
  contentTypeOptions: z.enum(CONTENT_TYPE_OPTIONS).default("nosniff"),
  referrerPolicy: z.enum(REFERRER_POLICIES).default("strict-origin-when-cross-origin"),
  permissionsPolicy: permissionsPolicySchema.default({ camera: [], geolocation: [], microphone: [] }),
});

export const CSP_DIRECTIVES = [
  "default-src",
  "script-src",
  "script-src-elem",
  "script-src-attr",
  "style-src",
  "style-src-elem",
  "style-src-attr",
  "img-src",
  "font-src",
  "connect-src",
  "media-src",
  "object-src",
  "frame-src",
  "child-src",
  "worker-src",
  "manifest-src",
  "base-uri",
  "form-action",
  "frame-ancestors",
  "sandbox",
  "upgrade-insecure-requests",
  "report-uri",
  "report-to",
  "require-trusted-types-for",
  "trusted-types",
] as const;

export const contentSecurityPolicySchema = z.strictObject({
  directives: z
    .partialRecord(z.enum(CSP_DIRECTIVES), z.array(z.string().regex(/^[^\s;,]+$/, "a CSP source must not contain spaces, ';' or ','")))
    .refine((directives) => Object.keys(directives).length > 0, {
      message: "list at least one directive",
      // Only when nothing else is wrong: a misspelt directive should not also read as "none listed".
      when: (payload) => payload.issues.length === 0,
    }),
  /** Report violations without enforcing them: for rolling a policy out. */
  reportOnly: z.boolean().default(false),
});

/** Headers the policy manages through dedicated fields, so `custom` cannot be used to bypass them. */
export const MANAGED_HEADERS = [
  "strict-transport-security",
  "x-frame-options",
  "x-content-type-options",
  "referrer-policy",
  "permissions-policy",
  "content-security-policy",
  "content-security-policy-report-only",
];
/** Headers that would corrupt framing or sessions if a policy set them. */
const FORBIDDEN_CUSTOM_HEADERS = ["content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "set-cookie", "host", "trailer", "te"];

export const customHeadersSchema = z.record(headerNameSchema, headerValueSchema).superRefine((headers, ctx) => {
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (MANAGED_HEADERS.includes(lower)) {
      ctx.addIssue({ code: "custom", path: [name], message: `${name} is managed by its own securityHeaders field; set it there` });
    } else if (FORBIDDEN_CUSTOM_HEADERS.includes(lower)) {
      ctx.addIssue({ code: "custom", path: [name], message: `${name} cannot be set by a policy` });
    }
  }
});

export const applicationSecurityHeadersSchema = z.strictObject({
  hsts: z
    .strictObject({
      enabled: z.boolean().optional(),
      maxAgeSeconds: baselineHstsSchema.shape.maxAgeSeconds.unwrap().optional(),
      includeSubDomains: z.boolean().optional(),
      preload: z.boolean().optional(),
    })
    .optional(),
  frameOptions: z.enum(FRAME_OPTIONS).optional(),
  contentTypeOptions: z.enum(CONTENT_TYPE_OPTIONS).optional(),
  referrerPolicy: z.enum(REFERRER_POLICIES).optional(),
  /** Merged per feature with the baseline's. */
  permissionsPolicy: permissionsPolicySchema.optional(),
  contentSecurityPolicy: contentSecurityPolicySchema.optional(),
  custom: customHeadersSchema.optional(),
});
