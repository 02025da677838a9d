import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { readableApplicationIds } from "./security-event-scope";
import type { SecurityEventSummaryQuery } from "./security-event-schemas";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Top paths and clients are counted over at most this many of the window's latest events: bounded cost. */
export const SUMMARY_SAMPLE = 50_000;

/**
 * Time buckets by family and action, totals and top rules from the exact per-minute
 * counters; top paths and clients from the stored events (samples). Default window: the
 * last 24 hours.
 */
export async function summariseSecurityEvents({ actor, query, now = new Date() }: { actor: Actor; query: SecurityEventSummaryQuery; now?: Date }) {
  const readable = await readableApplicationIds(actor);
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DAY);
  const span = to.getTime() - from.getTime();
  const bucket = query.bucket ?? (span <= 3 * HOUR ? "minute" : span <= 7 * DAY ? "hour" : "day");

  // Counters key the application as text ('' for none); events as a uuid column (indexed).
  const common = (column: { time: Prisma.Sql; apps: (ids: string[]) => Prisma.Sql }) => {
    const parts: Prisma.Sql[] = [Prisma.sql`${column.time} >= ${from}`, Prisma.sql`${column.time} < ${to}`];
    if (readable !== null) parts.push(column.apps(readable));
    if (query.applicationId) parts.push(column.apps([query.applicationId]));
    if (query.family) parts.push(Prisma.sql`family = ${query.family}`);
    if (query.ruleId) parts.push(Prisma.sql`rule_id = ${query.ruleId}`);
    if (query.action) parts.push(Prisma.sql`action = ${query.action}`);
    return parts;
  };
  const counterWhere = Prisma.join(common({ time: Prisma.sql`minute`, apps: (ids) => Prisma.sql`application_id = ANY(${ids}::text[])` }), " AND ");
  const eventParts = common({ time: Prisma.sql`occurred_at`, apps: (ids) => Prisma.sql`application_id = ANY(${ids}::uuid[])` });
  if (query.path) eventParts.push(query.path.endsWith("*") ? Prisma.sql`starts_with(path, ${query.path.slice(0, -1)})` : Prisma.sql`path = ${query.path}`);
  if (query.clientIp) eventParts.push(Prisma.sql`client_ip = ${query.clientIp}`);
  const eventWhere = Prisma.join(eventParts, " AND ");
  const seriesFromEvents = query.path !== undefined || query.clientIp !== undefined;
  const unit = Prisma.raw(`'${bucket}'`);

  const [series, topRules, sample, dropped] = await Promise.all([
    seriesFromEvents
      ? db.$queryRaw<{ bucket: Date; family: string; action: string; count: bigint }[]>`
          SELECT date_trunc(${unit}, occurred_at, 'UTC') AS bucket, family, action, count(*) AS count
          FROM security_events WHERE ${eventWhere} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`
      : db.$queryRaw<{ bucket: Date; family: string; action: string; count: bigint }[]>`
          SELECT date_trunc(${unit}, minute, 'UTC') AS bucket, family, action, sum(count) AS count
          FROM security_event_counters WHERE ${counterWhere} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    seriesFromEvents
      ? db.$queryRaw<{ rule_id: string; family: string; count: bigint }[]>`
          SELECT rule_id, family, count(*) AS count FROM security_events WHERE ${eventWhere}
          GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 10`
      : db.$queryRaw<{ rule_id: string; family: string; count: bigint }[]>`
          SELECT rule_id, family, sum(count) AS count FROM security_event_counters WHERE ${counterWhere}
          GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 10`,
    db.$queryRaw<{ kind: string; key: string; count: bigint; sampled: bigint }[]>`
      WITH latest AS (
        SELECT path, client_ip FROM security_events WHERE ${eventWhere}
        ORDER BY occurred_at DESC LIMIT ${SUMMARY_SAMPLE}
      ), n AS (SELECT count(*) AS sampled FROM latest)
      (SELECT 'path' AS kind, path AS key, count(*) AS count, (SELECT sampled FROM n) AS sampled FROM latest GROUP BY path ORDER BY 3 DESC, 2 LIMIT 10)
      UNION ALL
      (SELECT 'client' AS kind, client_ip AS key, count(*) AS count, (SELECT sampled FROM n) AS sampled FROM latest GROUP BY client_ip ORDER BY 3 DESC, 2 LIMIT 10)`,
    db.$queryRaw<{ dropped: bigint | null }[]>`SELECT sum(dropped) AS dropped FROM security_event_batches WHERE received_at >= ${from} AND received_at < ${to}`,
  ]);

  const totals = { blocked: 0, logged: 0 };
  for (const row of series) totals[row.action as "blocked" | "logged"] += Number(row.count);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucket,
    seriesSource: seriesFromEvents ? ("events" as const) : ("counters" as const),
    series: series.map((r) => ({ bucket: r.bucket.toISOString(), family: r.family, action: r.action as "blocked" | "logged", count: Number(r.count) })),
    totals,
    topRules: topRules.map((r) => ({ ruleId: r.rule_id, family: r.family, count: Number(r.count) })),
    topPaths: sample.filter((r) => r.kind === "path").map((r) => ({ path: r.key, count: Number(r.count) })),
    topClients: sample.filter((r) => r.kind === "client").map((r) => ({ clientIp: r.key, count: Number(r.count) })),
    sampledFrom: Number(sample[0]?.sampled ?? 0),
    // Dropped events are not attributed to applications: only the organisation-wide view shows them.
    dropped: readable === null ? Number(dropped[0]?.dropped ?? 0) : 0,
  };
}
