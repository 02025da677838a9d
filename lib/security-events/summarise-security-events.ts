import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { readableApplicationIds } from "./security-event-scope";
import type { SecurityEventSummaryQuery } from "./security-event-schemas";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Bucket = "minute" | "hour" | "day";
type SeriesRow = { bucket: Date; family: string; action: string; count: bigint };
type RuleRow = { rule_id: string; family: string; count: bigint };
type TopRow = { kind: string; key: string; count: bigint };

/**
 * Time buckets by family and action, totals, top rules, top paths and top clients — all
 * exact. Default window: the last 24 hours.
 *
 * Where each figure comes from (the cheapest exact source):
 * - series and top rules: every decision the proxies counted — the per-minute counters
 *   for minute buckets, the hourly 'rule' rollups otherwise; with a path or client
 *   filter (which counters do not carry), the stored events;
 * - top paths and clients: the stored events, counted — the hourly 'path' and 'client'
 *   rollups, or the events themselves for minute buckets or a rule, path or client filter
 *   (which the rollups do not carry).
 * With hour or day buckets the window is widened to whole hours (the answer's from and to
 * say so), so that every figure counts the same whole hours.
 */
export async function summariseSecurityEvents({ actor, query, now = new Date() }: { actor: Actor; query: SecurityEventSummaryQuery; now?: Date }) {
  const readable = await readableApplicationIds(actor);
  const requestedTo = query.to ? new Date(query.to) : now;
  const requestedFrom = query.from ? new Date(query.from) : new Date(requestedTo.getTime() - DAY);
  const span = requestedTo.getTime() - requestedFrom.getTime();
  const bucket: Bucket = query.bucket ?? (span <= 3 * HOUR ? "minute" : span <= 7 * DAY ? "hour" : "day");
  const hourly = bucket !== "minute";
  const from = hourly ? new Date(Math.floor(requestedFrom.getTime() / HOUR) * HOUR) : requestedFrom;
  const to = hourly ? new Date(Math.ceil(requestedTo.getTime() / HOUR) * HOUR) : requestedTo;

  // Counters and rollups key the application as text ('' for none); events as a uuid column.
  const where = (time: string, appType: "text" | "uuid", extra: Prisma.Sql[] = []) => {
    const column = Prisma.raw(time);
    const cast = Prisma.raw(appType);
    const parts: Prisma.Sql[] = [Prisma.sql`${column} >= ${from}`, Prisma.sql`${column} < ${to}`, ...extra];
    if (readable !== null) parts.push(Prisma.sql`application_id = ANY(${readable}::${cast}[])`);
    if (query.applicationId) parts.push(Prisma.sql`application_id = ${query.applicationId}::${cast}`);
    if (query.family) parts.push(Prisma.sql`family = ${query.family}`);
    if (query.action) parts.push(Prisma.sql`action = ${query.action}`);
    return Prisma.join(parts, " AND ");
  };
  const rule = query.ruleId ? [Prisma.sql`rule_id = ${query.ruleId}`] : [];
  const eventWhere = where("occurred_at", "uuid", [
    ...rule,
    ...(query.path ? [query.path.endsWith("*") ? Prisma.sql`starts_with(path, ${query.path.slice(0, -1)})` : Prisma.sql`path = ${query.path}`] : []),
    ...(query.clientIp ? [Prisma.sql`client_ip = ${query.clientIp}`] : []),
  ]);
  const unit = Prisma.raw(`'${bucket}'`);
  const seriesFromEvents = query.path !== undefined || query.clientIp !== undefined;
  const topFromEvents = !hourly || seriesFromEvents || query.ruleId !== undefined;

  const [series, topRules, top, dropped] = await Promise.all([
    seriesFromEvents
      ? db.$queryRaw<SeriesRow[]>`SELECT date_trunc(${unit}, occurred_at, 'UTC') AS bucket, family, action, count(*) AS count
          FROM security_events WHERE ${eventWhere} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`
      : hourly
        ? db.$queryRaw<SeriesRow[]>`SELECT date_trunc(${unit}, hour, 'UTC') AS bucket, family, action, sum(count) AS count
            FROM security_event_rollups WHERE dimension = 'rule' AND ${where("hour", "text", query.ruleId ? [Prisma.sql`value = ${query.ruleId}`] : [])}
            GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`
        : db.$queryRaw<SeriesRow[]>`SELECT date_trunc(${unit}, minute, 'UTC') AS bucket, family, action, sum(count) AS count
            FROM security_event_counters WHERE ${where("minute", "text", rule)} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    seriesFromEvents
      ? db.$queryRaw<RuleRow[]>`SELECT rule_id, family, count(*) AS count FROM security_events WHERE ${eventWhere}
          GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 10`
      : hourly
        ? db.$queryRaw<RuleRow[]>`SELECT value AS rule_id, family, sum(count) AS count
            FROM security_event_rollups WHERE dimension = 'rule' AND ${where("hour", "text", query.ruleId ? [Prisma.sql`value = ${query.ruleId}`] : [])}
            GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 10`
        : db.$queryRaw<RuleRow[]>`SELECT rule_id, family, sum(count) AS count FROM security_event_counters WHERE ${where("minute", "text", rule)}
            GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 10`,
    topFromEvents
      ? db.$queryRaw<TopRow[]>`
          (SELECT 'path' AS kind, path AS key, count(*) AS count FROM security_events WHERE ${eventWhere} GROUP BY path ORDER BY 3 DESC, 2 LIMIT 10)
          UNION ALL
          (SELECT 'client' AS kind, client_ip AS key, count(*) AS count FROM security_events WHERE ${eventWhere} GROUP BY client_ip ORDER BY 3 DESC, 2 LIMIT 10)`
      : db.$queryRaw<TopRow[]>`
          (SELECT 'path' AS kind, value AS key, sum(count) AS count FROM security_event_rollups WHERE dimension = 'path' AND ${where("hour", "text")}
            GROUP BY value ORDER BY 3 DESC, 2 LIMIT 10)
          UNION ALL
          (SELECT 'client' AS kind, value AS key, sum(count) AS count FROM security_event_rollups WHERE dimension = 'client' AND ${where("hour", "text")}
            GROUP BY value ORDER BY 3 DESC, 2 LIMIT 10)`,
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
    topPaths: top.filter((r) => r.kind === "path").map((r) => ({ path: r.key, count: Number(r.count) })),
    topClients: top.filter((r) => r.kind === "client").map((r) => ({ clientIp: r.key, count: Number(r.count) })),
    // Dropped events are not attributed to applications: only the organisation-wide view shows them.
    dropped: readable === null ? Number(dropped[0]?.dropped ?? 0) : 0,
  };
}
