import { z } from "zod";
import { ssoEnvSchema, type SsoSettings } from "@/lib/auth/sso/sso-env";
import { parseEd25519PrivateKey } from "@/lib/delivery/parse-signing-key";
import { parseEgressAllow } from "@/lib/outbound/egress-rules";

// Runtime configuration of the portal, validated once. A bad value stops the process
// with a message that names the variable (see formatEnvErrors), never a stack trace.
const booleanString = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

export const envSchema = z.object({
  DATABASE_URL: z
    .string({ error: "is required (npm start sets it for the embedded database)" })
    .refine((v) => /^postgres(ql)?:\/\//.test(v), "must be a postgresql:// URL"),
  // How many reverse proxies in front of the portal append to X-Forwarded-For.
  // 0 (default): the client IP is the TCP peer, and X-Forwarded-For is ignored.
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // Secure cookies: by default on everywhere except plain http on a loopback host.
  COOKIE_SECURE: booleanString.optional(),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24 * 7),
  SESSION_IDLE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(24),
  // Sign-in throttling (lib/auth/sign-in.ts): failures per account from one client address
  // before it is locked out (first for LOGIN_LOCKOUT_SECONDS, each time after for twice as
  // long); per address across accounts; and per email from addresses the account never
  // signed in from, so spread-out guessing stays bounded while its owner keeps signing in.
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(30),
  LOGIN_MAX_FAILURES_PER_EMAIL: z.coerce.number().int().min(1).default(50),
  LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  LOGIN_THROTTLE_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  // Delivery (lib/delivery). Optional here so the rest of the portal runs without them, but
  // what needs them fails closed: no signing key, no bundles; no encryption key, no stored
  // kubeconfigs or Git credentials. `npm start` generates both into RAMPART_DATA_DIR.
  // The Ed25519 private key that signs delivery sets: PKCS#8 PEM or base64 DER.
  RAMPART_SIGNING_KEY: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().refine(isEd25519PrivateKey, "must be an Ed25519 private key (PKCS#8 PEM, or its DER in base64)").optional(),
  ),
  // Names the key in every signature (rotation); default: derived from the public key.
  RAMPART_SIGNING_KEY_ID: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(1).max(200).regex(/^\S+$/, "must not contain spaces").optional()),
  // AES-256-GCM key for secrets at rest: 32 bytes, base64.
  RAMPART_ENCRYPTION_KEY: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .refine(
        (v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v.trim()) && Buffer.from(v.trim(), "base64").length === 32,
        "must be 32 bytes, base64 (openssl rand -base64 32)",
      )
      .optional(),
  ),
  // Security events (lib/security-events): days kept (whole daily partitions are dropped),
  // how many ingestion requests may write at once across all replicas (more are answered
  // 429 with Retry-After), and where ingested events go (only "postgres" so far; see
  // lib/security-events/event-sink.ts for how another pipeline plugs in).
  RAMPART_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(14),
  RAMPART_EVENT_INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  RAMPART_EVENT_SINK: z.enum(["postgres"]).default("postgres"),
  // Outbound requests (lib/outbound): addresses inside the portal's own network are refused
  // unless listed here, comma-separated CIDRs and host names (e.g. "10.0.0.0/8,k8s.internal").
  RAMPART_EGRESS_ALLOW: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .superRefine((text, context) => {
        const parsed = parseEgressAllow(text);
        if (!parsed.ok) context.addIssue({ code: "custom", message: parsed.message });
      })
      .optional(),
  ),
  // A kubeconfig may skip verifying its API server's certificate only where this is true
  // (lib/kubernetes/cluster/check-kubeconfig.ts).
  RAMPART_KUBECONFIG_ALLOW_INSECURE_TLS: booleanString.optional(),
  // 1: the API through Next.js's request handling instead of the API front (lib/cli/serve.ts), to compare the two.
  RAMPART_API_THROUGH_NEXT: booleanString.default(false),
  // Git targets on this machine's file system: only repositories under this folder
  // (lib/kubernetes/gitops/git-repository.ts); unset, none.
  RAMPART_GIT_LOCAL_DIR: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .refine((v) => v.startsWith("/"), "must be an absolute path")
      .optional(),
  ),
});

function isEd25519PrivateKey(value: string): boolean {
  try {
    parseEd25519PrivateKey(value);
    return true;
  } catch {
    return false;
  }
}

// Single sign-on (RAMPART_PUBLIC_URL, RAMPART_OIDC_*, RAMPART_SSO_ONLY, RAMPART_BREAK_GLASS_EMAIL)
// has variables per provider, so it is validated beside the fixed shape above, not in it.
export type Env = z.infer<typeof envSchema> & { sso: SsoSettings };

/** Validates a whole environment: every problem of every part, each naming its variable. */
export function parseEnv(raw: Record<string, string | undefined>): { success: true; data: Env } | { success: false; error: z.ZodError } {
  const base = envSchema.safeParse(raw);
  const sso = ssoEnvSchema.safeParse(raw);
  if (base.success && sso.success) return { success: true, data: { ...base.data, sso: sso.data } };
  return { success: false, error: new z.ZodError([...(base.error?.issues ?? []), ...(sso.error?.issues ?? [])]) };
}

export function formatEnvErrors(error: z.ZodError): string {
  return error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`).join("\n");
}

let cached: Env | undefined;
export function env(): Env {
  if (cached) return cached;
  const parsed = parseEnv(process.env);
  if (!parsed.success) {
    throw new Error(`Invalid environment:\n${formatEnvErrors(parsed.error)}`);
  }
  cached = parsed.data;
  return cached;
}

/** Forgets the validated environment, so the next env() reads process.env again (tests that change it). */
export function resetEnvCache(): void {
  cached = undefined;
}
