import "server-only";
import { env } from "@/lib/env";
import { hitRateLimit, peekRateLimit, releaseRateLimit } from "@/lib/rate-limit/hit-rate-limit";
import type { SsoFailureReason } from "./sso-failure";

// Single sign-on is throttled per client IP like password sign-in (LOGIN_MAX_FAILURES_PER_IP
// in LOGIN_THROTTLE_WINDOW_MINUTES): failed callbacks count, and past the limit both
// starting and finishing are refused before the provider is asked. Starting writes a row,
// so starts are counted too, with ten times the room (an office behind one address
// signing in at nine).
const START_ALLOWANCE = 10;

// Failures that point at forged, replayed or tampered responses, or at probing; a provider
// that is down or a user who cancels at the provider is nobody's attack.
const COUNTED: ReadonlySet<SsoFailureReason> = new Set([
  "unknown-provider",
  "state-invalid",
  "state-replayed",
  "state-expired",
  "code-rejected",
  "nonce-mismatch",
  "wrong-issuer",
  "wrong-audience",
  "token-invalid",
]);

function settings() {
  const config = env();
  return { limit: config.LOGIN_MAX_FAILURES_PER_IP, windowSeconds: config.LOGIN_THROTTLE_WINDOW_MINUTES * 60 };
}

const failureKey = (ip: string | null) => `sso:ip:${ip ?? "unknown"}`;

/** Whether this address has failed too often to try again now. */
export async function isSsoThrottled(ip: string | null): Promise<boolean> {
  const { limit, windowSeconds } = settings();
  return (await peekRateLimit(failureKey(ip), limit, windowSeconds)).count >= limit;
}

/** Counts a start; true when this address starts more sign-ins than anyone plausibly does. */
export async function hitSsoStart(ip: string | null): Promise<boolean> {
  const { limit, windowSeconds } = settings();
  return (await hitRateLimit(`sso-start:ip:${ip ?? "unknown"}`, limit * START_ALLOWANCE, windowSeconds)).limited;
}

/**
 * Counts a callback before it is evaluated, like password sign-in (lib/auth/sign-in.ts):
 * parallel forged callbacks cannot all pass a check made before any of them is counted.
 * True when this address is past the limit. The count is taken back by settleSsoCallback
 * unless the callback failed for a reason that counts.
 */
export async function hitSsoCallback(ip: string | null): Promise<boolean> {
  const { limit, windowSeconds } = settings();
  return (await hitRateLimit(failureKey(ip), limit, windowSeconds)).count > limit;
}

/** After a callback counted by hitSsoCallback: a success or a failure that is nobody's attack is taken back. */
export async function settleSsoCallback(ip: string | null, reason: SsoFailureReason | null): Promise<void> {
  if (reason !== null && (COUNTED.has(reason) || reason === "throttled")) return;
  await releaseRateLimit(failureKey(ip));
}

/** Counts a failure of a start (the callback counts itself first: hitSsoCallback). */
export async function countSsoFailure(ip: string | null, reason: SsoFailureReason): Promise<void> {
  if (!COUNTED.has(reason)) return;
  const { limit, windowSeconds } = settings();
  await hitRateLimit(failureKey(ip), limit, windowSeconds);
}
