import "server-only";
import type { RequestContext } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors/app-error";
import { hitRateLimit } from "@/lib/rate-limit/hit-rate-limit";

// The questionnaire's public endpoints need no sign-in, so they are throttled per client
// IP through the shared counters in PostgreSQL (every portal replica sees the same count).
// The limits are generous for people and tight for scripts: a questionnaire session makes
// a handful of calls, a team sharing one office IP a few dozen.
export const THROTTLES = {
  evaluate: { limit: 60, windowSeconds: 60 },
  // Only anonymous draft writes count: a signed-in user is accountable for what they store.
  draftWrite: { limit: 120, windowSeconds: 3600 },
} as const;

export async function throttleByIp(ctx: RequestContext, name: keyof typeof THROTTLES): Promise<void> {
  const { limit, windowSeconds } = THROTTLES[name];
  // Without a known address all such callers share one bucket: stricter, never looser.
  const result = await hitRateLimit(`architecture-${name}:ip:${ctx.ip ?? "unknown"}`, limit, windowSeconds);
  if (result.limited) {
    throw new AppError("RATE_LIMITED", `Too many requests from your address; try again in ${result.retryAfterSeconds} seconds.`, {
      details: { retryAfterSeconds: result.retryAfterSeconds },
    });
  }
}
