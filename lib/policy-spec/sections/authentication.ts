// Enforced authentication (baseline) and token verification (application).
// The baseline names the issuers an organisation trusts; an application narrows
// them to its audience, algorithms and per-path claims.

import { z } from "zod";
import { httpsUrlSchema, methodListSchema, pathPatternListSchema, uniqueList } from "./policy-fields";

/**
 * Asymmetric algorithms only: an HMAC secret inline in a policy that lives in
 * Git would be a leaked credential, and "none" is never acceptable.
 */
export const JWT_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"] as const;
export const jwtAlgorithmSchema = z.enum(JWT_ALGORITHMS);

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, "must be base64url without padding");
/** Private JWK members; a policy must never carry private key material. */
const noPrivateMember = z.never({ error: "private key material must never appear in a policy; publish the public key only" }).optional();
const jwkCommon = {
  kid: z.string().min(1).max(200).optional(),
  use: z.literal("sig").optional(),
  alg: jwtAlgorithmSchema.optional(),
  d: noPrivateMember,
};

export const publicJwkSchema = z.discriminatedUnion(
  "kty",
  [
    z.strictObject({
      kty: z.literal("RSA"),
      n: base64url,
      e: base64url,
      ...jwkCommon,
      p: noPrivateMember,
      q: noPrivateMember,
      dp: noPrivateMember,
      dq: noPrivateMember,
      qi: noPrivateMember,
    }),
    z.strictObject({ kty: z.literal("EC"), crv: z.enum(["P-256", "P-384", "P-521"]), x: base64url, y: base64url, ...jwkCommon }),
    z.strictObject({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: base64url, ...jwkCommon }),
  ],
  { error: 'kty must be "RSA", "EC" or "OKP" (symmetric "oct" keys are not allowed)' },
);

const issuerUrlSchema = z.url({ protocol: /^https$/, error: "issuer must be an https:// URL" });

/** A fully specified issuer, as the baseline declares it and as the effective policy carries it. */
export const tokenIssuerSchema = z
  .strictObject({
    issuer: issuerUrlSchema,
    /** Empty means any audience; applications should always narrow this. */
    audiences: uniqueList(z.string().min(1), "audience").default([]),
    jwksUrl: httpsUrlSchema.optional(),
    keys: z.array(publicJwkSchema).min(1).optional(),
    algorithms: uniqueList(jwtAlgorithmSchema, "algorithm").min(1).default(["RS256", "ES256"]),
  })
  .superRefine((value, ctx) => {
    if ((value.jwksUrl === undefined) === (value.keys === undefined)) {
      ctx.addIssue({ code: "custom", path: ["jwksUrl"], message: "give exactly one of jwksUrl or keys" });
    }
  });
export type TokenIssuer = z.output<typeof tokenIssuerSchema>;

function uniqueIssuers(list: { issuer: string }[], ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  list.forEach((entry, index) => {
    if (seen.has(entry.issuer)) ctx.addIssue({ code: "custom", path: [index, "issuer"], message: `duplicate issuer ${entry.issuer}` });
    seen.add(entry.issuer);
  });
}

export const baselineAuthenticationSchema = z
  .strictObject({
    required: z.boolean().default(false),
    issuers: z.array(tokenIssuerSchema).default([]).superRefine(uniqueIssuers),
    /** Paths that never need a token (health checks, login pages). */
    publicPaths: pathPatternListSchema.default([]),
    clockSkewSeconds: z.int().min(0).max(300).default(60),
  })
  .superRefine((value, ctx) => {
    if (value.required && value.issuers.length === 0) {
      ctx.addIssue({ code: "custom", path: ["issuers"], message: "authentication is required, so name at least one trusted issuer" });
    }
  });

export const claimRequirementSchema = z.strictObject({
  name: z.string().min(1).max(200),
  /** Every value must be present (space-separated string claims such as scope are split). */
  allOf: uniqueList(z.string().min(1), "value").min(1).optional(),
  /** At least one value must be present. */
  anyOf: uniqueList(z.string().min(1), "value").min(1).optional(),
});

export const claimRuleSchema = z.strictObject({
  paths: pathPatternListSchema.min(1),
  /** Absent means every method. */
  methods: methodListSchema.min(1).optional(),
  claims: z.array(claimRequirementSchema).min(1, "a claim rule needs at least one claim"),
});

/**
 * An application's issuer. Keys and algorithms may be omitted for an issuer the
 * baseline already declares; they are then inherited (and cannot be replaced).
 */
export const applicationTokenIssuerSchema = z
  .strictObject({
    issuer: issuerUrlSchema,
    // Required: without an audience check, a token minted for any other application would be accepted here.
    audiences: uniqueList(z.string().min(1), "audience").min(1, "name the audience(s) your tokens are issued for"),
    jwksUrl: httpsUrlSchema.optional(),
    keys: z.array(publicJwkSchema).min(1).optional(),
    algorithms: uniqueList(jwtAlgorithmSchema, "algorithm").min(1).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.jwksUrl !== undefined && value.keys !== undefined) {
      ctx.addIssue({ code: "custom", path: ["keys"], message: "give jwksUrl or keys, not both" });
    }
  });

export const tokenVerificationSchema = z.strictObject({
  required: z.boolean().default(true),
  issuers: z.array(applicationTokenIssuerSchema).min(1, "name at least one issuer").superRefine(uniqueIssuers),
  /** Absent: the baseline's public paths apply. */
  publicPaths: pathPatternListSchema.optional(),
  rules: z.array(claimRuleSchema).default([]),
  clockSkewSeconds: z.int().min(0).max(300).optional(),
});
