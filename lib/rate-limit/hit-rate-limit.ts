import "server-only";
import { db } from "@/lib/db/client";

export type RateLimitResult = { count: number; limited: boolean; retryAfterSeconds: number };

/**
 * Counts one hit against a fixed-window bucket kept in PostgreSQL, so every portal
 * replica shares the same counters. One statement: the upsert is atomic under
 * concurrency, and a window that has passed restarts at 1.
 */
export async function hitRateLimit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
  const rows = await db.$queryRaw<{ count: number; window_start: Date }[]>`
    INSERT INTO rate_limit_buckets (key, window_start, count)
    VALUES (${key}, now(), 1)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limit_buckets.window_start <= now() - make_interval(secs => ${windowSeconds})
                   THEN 1 ELSE rate_limit_buckets.count + 1 END,
      window_start = CASE WHEN rate_limit_buckets.window_start <= now() - make_interval(secs => ${windowSeconds})
                   THEN now() ELSE rate_limit_buckets.window_start END
    RETURNING count, window_start`;
  const row = rows[0]!;
  return toResult(row.count, row.window_start, limit, windowSeconds);
}

/** Reads a bucket without counting (e.g. to refuse before doing expensive work). */
export async function peekRateLimit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
  const rows = await db.$queryRaw<{ count: number; window_start: Date }[]>`
    SELECT count, window_start FROM rate_limit_buckets
    WHERE key = ${key} AND window_start > now() - make_interval(secs => ${windowSeconds})`;
  const row = rows[0];
  if (!row) return { count: 0, limited: false, retryAfterSeconds: 0 };
  return toResult(row.count, row.window_start, limit, windowSeconds);
}

export async function resetRateLimit(key: string): Promise<void> {
  await db.rateLimitBucket.deleteMany({ where: { key } });
}

function toResult(count: number, windowStart: Date, limit: number, windowSeconds: number): RateLimitResult {
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowSeconds * 1000 - Date.now()) / 1000));
  return { count, limited: count > limit, retryAfterSeconds };
}

/**
 * Takes back one hit counted before an attempt that turned out not to be a failure
 * (count first, then evaluate: see lib/auth/sign-in.ts).
 */
export async function releaseRateLimit(key: string): Promise<void> {
  await db.$executeRaw`UPDATE rate_limit_buckets SET count = greatest(count - 1, 0) WHERE key = ${key}`;
}
