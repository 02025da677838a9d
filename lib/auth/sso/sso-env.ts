// The single sign-on part of the environment (validated with the rest by lib/env.ts).
// Providers are named by RAMPART_OIDC_PROVIDERS, and each has variables of its own
// (RAMPART_OIDC_<ID>_ISSUER, …), so this is not a fixed shape: each provider's variables
// are validated by one schema and every problem names the variable it is about.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { roleSchema } from "@/lib/auth/roles";
import { emailSchema } from "@/lib/users/user-schemas";
import { isLoopbackHost } from "@/lib/webhooks/webhook-url";

const PROVIDER_ID = /^[a-z][a-z0-9-]{0,31}$/;

// Asymmetric JWS algorithms only: a shared-secret (HS*) ID token would be signed with the
// client secret, and `none` is no signature at all.
export const ID_TOKEN_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"] as const;

const booleanString = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

/** An http(s) URL; plain http only to a loopback host (a test or a developer's provider). */
function httpsUrlProblem(value: string, { originOnly }: { originOnly: boolean }): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be a URL";
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    return "must be an https:// URL (http:// only to localhost or 127.0.0.1)";
  }
  if (url.username || url.password || url.search || url.hash) return "must not contain credentials, a query or a fragment";
  if (originOnly && url.pathname !== "/") return "must be the portal's origin only, e.g. https://rampart.example.com";
  return null;
}

const urlSchema = (originOnly: boolean) =>
  z
    .string({ error: "is required" })
    .trim()
    .superRefine((value, ctx) => {
      const problem = httpsUrlProblem(value, { originOnly });
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });

export const groupMappingSchema = z.strictObject({
  group: z.string().trim().min(1, "is required").max(256),
  /** The team's slug. */
  team: z.string().trim().min(1, "is required").max(100),
  role: roleSchema,
});
export type EnvGroupMapping = z.output<typeof groupMappingSchema>;

// One provider's variables, by the suffix after RAMPART_OIDC_<ID>_.
const providerVariables = z.object({
  ISSUER: urlSchema(false),
  CLIENT_ID: z.string({ error: "is required" }).trim().min(1, "is required").max(500),
  CLIENT_SECRET: optional(z.string().max(2000)),
  CLIENT_SECRET_FILE: optional(z.string().max(4096)),
  DISPLAY_NAME: optional(z.string().trim().min(1).max(60)),
  SCOPES: optional(
    z
      .string()
      .trim()
      .refine((v) => v.split(/\s+/).includes("openid"), "must include openid"),
  ),
  GROUPS_CLAIM: optional(z.string().trim().min(1).max(100)),
  // The boolean claim that vouches for the email claim: email_verified by the
  // standard; Entra ID sends none, its optional claim xms_edov says the domain is verified.
  EMAIL_VERIFIED_CLAIM: optional(z.string().trim().min(1).max(100)),
  ID_TOKEN_ALG: optional(z.enum(ID_TOKEN_ALGORITHMS, { error: `must be one of ${ID_TOKEN_ALGORITHMS.join(", ")}` })),
  TOKEN_ENDPOINT_AUTH: optional(z.enum(["client_secret_basic", "client_secret_post"])),
  GROUP_MAPPINGS: optional(
    z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: "custom", message: 'must be JSON: [{"group": "…", "team": "<team slug>", "role": "…"}]' });
          return z.NEVER;
        }
      })
      .pipe(z.array(groupMappingSchema).max(500)),
  ),
});

export type OidcProviderConfig = {
  id: string;
  displayName: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  groupsClaim: string;
  emailVerifiedClaim: string;
  idTokenAlg: (typeof ID_TOKEN_ALGORITHMS)[number];
  tokenEndpointAuth: "client_secret_basic" | "client_secret_post";
  groupMappings: EnvGroupMapping[];
};

export type SsoSettings = {
  /** The portal's origin as browsers and providers reach it: redirect URIs are built on it. */
  publicUrl: string | null;
  providers: OidcProviderConfig[];
  /** Password sign-in only for the break-glass account. */
  ssoOnly: boolean;
  breakGlassEmail: string | null;
};

/** The prefix of a provider's variables: RAMPART_OIDC_CORP_ for `corp`, RAMPART_OIDC_MY_IDP_ for `my-idp`. */
export function providerVariablePrefix(id: string): string {
  return `RAMPART_OIDC_${id.toUpperCase().replaceAll("-", "_")}_`;
}

const fixedVariables = z.object({
  RAMPART_PUBLIC_URL: optional(urlSchema(true)),
  RAMPART_OIDC_PROVIDERS: optional(
    z
      .string()
      .transform((v) =>
        v
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(z.string().regex(PROVIDER_ID, "provider ids are lower-case letters, digits and dashes (at most 32), starting with a letter"))
          .max(10)
          .refine((ids) => new Set(ids).size === ids.length, "names a provider twice"),
      ),
  ),
  RAMPART_SSO_ONLY: optional(booleanString),
  RAMPART_BREAK_GLASS_EMAIL: optional(emailSchema),
});

// Every problem at once, the fixed variables' and each provider's, so one start-up names them all.
export const ssoEnvSchema = z.looseObject({}).transform((input, ctx): SsoSettings => {
  const fixed = fixedVariables.safeParse(input);
  if (!fixed.success) for (const issue of fixed.error.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  const settings: Partial<z.output<typeof fixedVariables>> = fixed.success ? fixed.data : {};
  // The providers are checked even when another fixed variable is wrong.
  const ids = fixedVariables.shape.RAMPART_OIDC_PROVIDERS.safeParse(input.RAMPART_OIDC_PROVIDERS).data ?? [];
  const providers: OidcProviderConfig[] = [];
  for (const id of ids) {
    const prefix = providerVariablePrefix(id);
    const own = Object.fromEntries(
      Object.entries(input)
        .filter(([key, value]) => key.startsWith(prefix) && value !== "")
        .map(([key, value]) => [key.slice(prefix.length), value]),
    );
    const parsed = providerVariables.safeParse(own);
    const problems = parsed.success ? [] : parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
    if ("CLIENT_SECRET" in own === "CLIENT_SECRET_FILE" in own) {
      problems.push({ path: ["CLIENT_SECRET"], message: "set exactly one of CLIENT_SECRET and CLIENT_SECRET_FILE" });
    }
    if (!parsed.success || problems.length > 0) {
      for (const issue of problems) {
        const [first, ...rest] = issue.path;
        ctx.addIssue({ code: "custom", path: [`${prefix}${String(first ?? "")}`, ...rest], message: issue.message });
      }
      continue;
    }
    const v = parsed.data;
    let clientSecret = v.CLIENT_SECRET;
    if (v.CLIENT_SECRET_FILE !== undefined) {
      try {
        clientSecret = readFileSync(v.CLIENT_SECRET_FILE, "utf8").trim();
      } catch (error) {
        ctx.addIssue({
          code: "custom",
          path: [`${prefix}CLIENT_SECRET_FILE`],
          message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
        });
        continue;
      }
    }
    if (!clientSecret) {
      ctx.addIssue({ code: "custom", path: [`${prefix}CLIENT_SECRET`], message: "is empty" });
      continue;
    }
    providers.push({
      id,
      displayName: v.DISPLAY_NAME ?? id,
      issuer: v.ISSUER,
      clientId: v.CLIENT_ID,
      clientSecret,
      scopes: v.SCOPES ?? "openid email profile",
      groupsClaim: v.GROUPS_CLAIM ?? "groups",
      emailVerifiedClaim: v.EMAIL_VERIFIED_CLAIM ?? "email_verified",
      idTokenAlg: v.ID_TOKEN_ALG ?? "RS256",
      tokenEndpointAuth: v.TOKEN_ENDPOINT_AUTH ?? "client_secret_basic",
      groupMappings: v.GROUP_MAPPINGS ?? [],
    });
  }
  if (ids.length > 0 && !input.RAMPART_PUBLIC_URL) {
    ctx.addIssue({ code: "custom", path: ["RAMPART_PUBLIC_URL"], message: "is required with RAMPART_OIDC_PROVIDERS: redirect URIs are built on it" });
  }
  const ssoOnly = settings.RAMPART_SSO_ONLY ?? false;
  if (ssoOnly && ids.length === 0) {
    ctx.addIssue({ code: "custom", path: ["RAMPART_SSO_ONLY"], message: "needs at least one provider in RAMPART_OIDC_PROVIDERS" });
  }
  if (ssoOnly && !settings.RAMPART_BREAK_GLASS_EMAIL) {
    ctx.addIssue({
      code: "custom",
      path: ["RAMPART_BREAK_GLASS_EMAIL"],
      message: "is required with RAMPART_SSO_ONLY: the one account that may still sign in with a password when the provider is down",
    });
  }
  return {
    publicUrl: settings.RAMPART_PUBLIC_URL ? new URL(settings.RAMPART_PUBLIC_URL).origin : null,
    providers,
    ssoOnly,
    breakGlassEmail: settings.RAMPART_BREAK_GLASS_EMAIL ?? null,
  };
});
