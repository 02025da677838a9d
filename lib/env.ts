import { z } from "zod";

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
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24 * 7),
  SESSION_IDLE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(30),
  LOGIN_THROTTLE_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
});

export type Env = z.infer<typeof envSchema>;

export function formatEnvErrors(error: z.ZodError): string {
  return error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`).join("\n");
}

let cached: Env | undefined;
export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`Invalid environment:\n${formatEnvErrors(parsed.error)}`);
  }
  cached = parsed.data;
  return cached;
}
