import "server-only";
import { db } from "@/lib/db/client";

export type LockoutResult = { locked: boolean; retryAfterSeconds: number };

// A day without attempts forgets earlier lockouts.
const QUIET_SECONDS = 24 * 60 * 60;
// The delay stops doubling here (base × 2^10).
const MAX_DOUBLINGS = 10;

/**
 * Counts one attempt against a lockout bucket *before* the attempt is evaluated, in one
 * statement (the upsert takes the row lock, so parallel attempts are counted one after
 * another and at most `limit` of them are let through). The attempt that goes past the
 * limit locks the bucket for `baseSeconds`, the next lockout for twice as long, and so on;
 * attempts while locked are refused without being counted. A success calls clearLockout.
 */
export async function hitLockout(key: string, limit: number, baseSeconds: number): Promise<LockoutResult> {
  const rows = await db.$queryRaw<{ locked_until: Date | null; now: Date }[]>`
    INSERT INTO rate_limit_buckets AS b (key, window_start, count, lockouts, locked_until)
    VALUES (${key}, now(), 1, 0, CASE WHEN 1 > ${limit}::int THEN now() + make_interval(secs => ${baseSeconds}::int) END)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE
        WHEN b.locked_until > now() THEN b.count
        WHEN (CASE WHEN b.window_start <= now() - make_interval(secs => ${QUIET_SECONDS}) THEN 0 ELSE b.count END) + 1 > ${limit}::int THEN 0
        ELSE (CASE WHEN b.window_start <= now() - make_interval(secs => ${QUIET_SECONDS}) THEN 0 ELSE b.count END) + 1 END,
      lockouts = CASE
        WHEN b.locked_until > now() THEN b.lockouts
        WHEN b.window_start <= now() - make_interval(secs => ${QUIET_SECONDS}) THEN 0
        WHEN b.count + 1 > ${limit}::int THEN b.lockouts + 1
        ELSE b.lockouts END,
      locked_until = CASE
        WHEN b.locked_until > now() THEN b.locked_until
        WHEN b.window_start > now() - make_interval(secs => ${QUIET_SECONDS}) AND b.count + 1 > ${limit}::int
          THEN now() + make_interval(secs => ${baseSeconds}::int * power(2, least(b.lockouts, ${MAX_DOUBLINGS}::int)))
        ELSE NULL END,
      window_start = CASE WHEN b.locked_until > now() THEN b.window_start ELSE now() END
    RETURNING locked_until, now() AS now`;
  const row = rows[0]!;
  if (!row.locked_until || row.locked_until <= row.now) return { locked: false, retryAfterSeconds: 0 };
  return { locked: true, retryAfterSeconds: Math.max(1, Math.ceil((row.locked_until.getTime() - row.now.getTime()) / 1000)) };
}

/** After a success: the bucket starts afresh, its lockout history forgotten. */
export async function clearLockout(key: string): Promise<void> {
  await db.rateLimitBucket.deleteMany({ where: { key } });
}
