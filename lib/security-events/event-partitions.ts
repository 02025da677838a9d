// No "server-only" marker: the maintenance sweep (lib/cli/serve.ts) runs this beside Next.js.
import type { Db, DbTransaction } from "@/lib/db/client";

// security_events is partitioned by UTC day (security_events_pYYYYMMDD, see the migration).
// Creating a partition takes a strong lock on the parent, so it never happens inside an
// ingestion transaction: the sweep creates the next days ahead, and ingestion creates a
// missing day in a short transaction of its own before inserting.

const DAY_MS = 86_400_000;
const PARTITION = /^security_events_p(\d{4})(\d{2})(\d{2})$/;
const CREATE_LOCK = "rampart:security-event-partitions";

export function utcDay(time: Date): string {
  return time.toISOString().slice(0, 10);
}

/** Creates the partitions of these UTC days (YYYY-MM-DD) if missing; replicas take turns. */
export async function ensureEventPartitions(db: Db, days: readonly string[]): Promise<void> {
  if (days.length === 0) return;
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${CREATE_LOCK}, 0))`;
    for (const day of days) await tx.$executeRaw`SELECT rampart_ensure_security_event_partition(${day}::date)`;
  });
}

/** The UTC days with a partition. */
export async function listEventPartitions(db: Db | DbTransaction): Promise<string[]> {
  const rows = await db.$queryRaw<{ name: string }[]>`
    SELECT c.relname AS name FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
    JOIN pg_namespace n ON n.oid = p.relnamespace
    WHERE p.relname = 'security_events' AND n.nspname = current_schema()`;
  return rows.flatMap(({ name }) => {
    const m = PARTITION.exec(name);
    return m ? [`${m[1]}-${m[2]}-${m[3]}`] : [];
  });
}

/**
 * Retention: drops the partitions of days entirely before `now - retentionDays` (whole
 * tables, no row deletes, no vacuum debt), and the counters, rollups and batch ids of that age.
 * Creates the partitions of today and the next `aheadDays`. Returns what it dropped.
 */
export async function maintainEventPartitions(
  tx: DbTransaction,
  now: Date,
  retentionDays: number,
  aheadDays = 3,
): Promise<{ dropped: string[]; created: string[] }> {
  const cutoff = utcDay(new Date(now.getTime() - retentionDays * DAY_MS));
  const existing = await listEventPartitions(tx);
  const dropped: string[] = [];
  for (const day of existing.sort()) {
    if (day >= cutoff) continue;
    // The name is rebuilt from a validated date, never taken from the catalogue as is.
    const name = `security_events_p${day.replaceAll("-", "")}`;
    await tx.$executeRawUnsafe(`DROP TABLE IF EXISTS "${name}"`);
    dropped.push(day);
  }
  const created: string[] = [];
  for (let d = 0; d <= aheadDays; d++) {
    const day = utcDay(new Date(now.getTime() + d * DAY_MS));
    if (!existing.includes(day)) created.push(day);
    await tx.$executeRaw`SELECT rampart_ensure_security_event_partition(${day}::date)`;
  }
  const cutoffTime = new Date(`${cutoff}T00:00:00.000Z`);
  await tx.$executeRaw`DELETE FROM security_event_counters WHERE minute < ${cutoffTime}`;
  // The rollups' keys lead with their dimension or grain: naming every value lets the
  // primary key find the old rows instead of a scan of the table. Day buckets start at
  // midnight UTC, like the cutoff: a day is kept or dropped whole, with its hours.
  await tx.$executeRaw`DELETE FROM security_event_rollups WHERE dimension IN ('path', 'client') AND hour < ${cutoffTime}`;
  await tx.$executeRaw`DELETE FROM security_event_rule_rollups WHERE grain IN ('hour', 'day') AND bucket < ${cutoffTime}`;
  await tx.$executeRaw`DELETE FROM security_event_family_rollups WHERE grain IN ('hour', 'day') AND bucket < ${cutoffTime}`;
  await tx.$executeRaw`DELETE FROM security_event_batches WHERE received_at < ${cutoffTime}`;
  return { dropped, created };
}

/** The oldest day events are kept for. */
export function retentionStart(now: Date, retentionDays: number): Date {
  return new Date(`${utcDay(new Date(now.getTime() - retentionDays * DAY_MS))}T00:00:00.000Z`);
}
