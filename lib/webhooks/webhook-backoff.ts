/** Attempts per delivery before it is given up (about 4 hours of retries in all). */
export const WEBHOOK_MAX_ATTEMPTS = 10;
const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 2 * 60 * 60_000;

/**
 * How long after failed attempt number `attempts` (1-based) the next one is due:
 * 30 s, 1 min, 2 min, … doubling, at most 2 hours; null once the attempts are used up.
 */
export function nextRetryDelayMs(attempts: number, maxAttempts = WEBHOOK_MAX_ATTEMPTS): number | null {
  if (attempts >= maxAttempts) return null;
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_MS);
}
