import "server-only";
import { db } from "@/lib/db/client";

const SPIKE_RATIO = 3;
/** Below this many blocks a day, a "spike" is noise. */
const MIN_BLOCKS = 50;

/**
 * Applications blocking more than 3× their 7-day daily average in the last 24 hours, from
 * the exact per-minute counters. teamIds null: every application.
 */
export async function findBlockSpikes({ teamIds, now = new Date() }: { teamIds: string[] | null; now?: Date }) {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const weekBefore = new Date(dayAgo.getTime() - 7 * 86_400_000);
  const rows = await db.$queryRaw<{ application_id: string; last24h: bigint; week: bigint }[]>`
    SELECT application_id,
           sum(count) FILTER (WHERE minute >= ${dayAgo}) AS last24h,
           sum(count) FILTER (WHERE minute < ${dayAgo}) AS week
    FROM security_event_counters
    WHERE minute >= ${weekBefore} AND action = 'blocked' AND application_id <> ''
    GROUP BY application_id`;
  const spikes = rows
    .map((r) => ({ applicationId: r.application_id, last24h: Number(r.last24h ?? 0), baseline: Number(r.week ?? 0) / 7 }))
    .filter((r) => r.last24h >= MIN_BLOCKS && r.last24h > SPIKE_RATIO * Math.max(r.baseline, 1));
  if (spikes.length === 0) return [];
  const apps = await db.application.findMany({
    where: { id: { in: spikes.map((s) => s.applicationId) }, ...(teamIds === null ? {} : { teamId: { in: teamIds } }) },
    select: { id: true, name: true },
  });
  const names = new Map(apps.map((a) => [a.id, a.name]));
  return spikes.filter((s) => names.has(s.applicationId)).map((s) => ({ ...s, name: names.get(s.applicationId)!, ratio: s.last24h / Math.max(s.baseline, 1) }));
}
