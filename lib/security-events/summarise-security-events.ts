import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { readableApplicationIds } from "./security-event-scope";
import { FUTURE_SLACK_MS } from "./postgres-event-sink";
import { planRuleRollupWindow } from "./rollup-window-plan";
import type { SecurityEventSummaryQuery } from "./security-event-schemas";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Bucket = "minute" | "hour" | "day";
// count: bigint from count(*), a Decimal from sum(bigint): compared as Number(count).
type GroupedRow = { by_rule: number; bucket: Date | null; rule_id: string | null; family: string; action: string | null; count: bigint | number };
type TopRow = { kind: string; key: string; count: bigint };

/** Stored events a sampled top list aims to count: enough for a stable top 10, cheap to group. */
export const TOP_SAMPLE_TARGET = 20_000;
/** A sample scan reads at most this many times TOP_SAMPLE_TARGET rows of the window's partitions. */
const SAMPLE_READ_FACTOR = 4;

/**
 * Time buckets by family and action, totals, top rules, top paths and top clients.
 * Default window: the last 24 hours. Bucket by window: minute up to 6 hours, hour up to 7
 * days, day beyond (or as asked).
 *
 * Where each figure comes from (the cheapest source that stays small at 5 million events):
 * - series and top rules, exact: every decision the proxies counted — the per-minute
 *   counters for minute buckets; for hour and day buckets the series from the family
 *   rollups of that grain (the rule rollups with a rule filter), top rules from the rule
 *   rollups, day rows standing for the hours of a day wherever that reads fewer rows
 *   (rollup-window-plan.ts); with a path or client filter (which counters do not carry),
 *   the stored events;
 * - top paths and clients: the stored events, counted — exactly for a
 *   rule, path or client filter, or a window holding at most TOP_SAMPLE_TARGET decisions
 *   (a 3-hour window under attack can hold 500,000 events: minute buckets sample too);
 *   otherwise estimated from a block sample of the window's events (TABLESAMPLE SYSTEM at
 *   rate TOP_SAMPLE_TARGET ÷ decisions), scaled up, with `topSampleRate` < 1 and a 95 %
 *   margin per item. Exact top lists over long windows were measured at 3–6 s: with tens of
 *   thousands of clients, hourly path and client rollups hold about one row per event.
 * With hour or day buckets the window is widened to whole hours or days (the answer's
 * from and to say so), so that every figure counts the same whole buckets.
 */
export async function summariseSecurityEvents({
  actor,
  query,
  now = new Date(),
  sampleTarget = TOP_SAMPLE_TARGET,
}: {
  actor: Actor;
  query: SecurityEventSummaryQuery;
  now?: Date;
  sampleTarget?: number;
}) {
  const readable = await readableApplicationIds(actor);
  const requestedTo = query.to ? new Date(query.to) : now;
  const requestedFrom = query.from ? new Date(query.from) : new Date(requestedTo.getTime() - DAY);
  const span = requestedTo.getTime() - requestedFrom.getTime();
  const bucket: Bucket = query.bucket ?? (span <= 6 * HOUR ? "minute" : span <= 7 * DAY ? "hour" : "day");
  const hourly = bucket !== "minute";
  const width = bucket === "day" ? DAY : HOUR;
  const from = hourly ? new Date(Math.floor(requestedFrom.getTime() / width) * width) : requestedFrom;
  const to = hourly ? new Date(Math.ceil(requestedTo.getTime() / width) * width) : requestedTo;

  // Counters and rollups key the application as text ('' for none); events as a uuid column.
  // time null: the caller bounds the time itself.
  const where = (time: string | null, appType: "text" | "uuid", extra: Prisma.Sql[] = []) => {
    const column = Prisma.raw(time ?? "");
    const cast = Prisma.raw(appType);
    const parts: Prisma.Sql[] = [...(time ? [Prisma.sql`${column} >= ${from}`, Prisma.sql`${column} < ${to}`] : []), ...extra];
    if (readable !== null) parts.push(Prisma.sql`application_id = ANY(${readable}::${cast}[])`);
    if (query.applicationId) parts.push(Prisma.sql`application_id = ${query.applicationId}::${cast}`);
    if (query.family) parts.push(Prisma.sql`family = ${query.family}`);
    if (query.action) parts.push(Prisma.sql`action = ${query.action}`);
    return parts.length > 0 ? Prisma.join(parts, " AND ") : Prisma.sql`true`;
  };
  const rule = query.ruleId ? [Prisma.sql`rule_id = ${query.ruleId}`] : [];
  const eventWhere = where("occurred_at", "uuid", [
    ...rule,
    ...(query.path ? [query.path.endsWith("*") ? Prisma.sql`starts_with(path, ${query.path.slice(0, -1)})` : Prisma.sql`path = ${query.path}`] : []),
    ...(query.clientIp ? [Prisma.sql`client_ip = ${query.clientIp}`] : []),
  ]);
  const unit = Prisma.raw(`'${bucket}'`);
  const seriesFromEvents = query.path !== undefined || query.clientIp !== undefined;

  // Series and top rules from the events (path or client filter) or the per-minute counters
  // (minute buckets): two plain GROUP BYs over the same rows, in parallel — each a hash
  // aggregate (as grouping sets of one scan, the planner sorted the rows to disk: 1.1 s for
  // a 3-hour window at 5 million events, against about 60 ms each). Hour and day buckets read
  // the rollup tables instead: the series from the family rollups (or the rule rollups for
  // one rule), top rules from the rule rollups, day rows wherever they can stand for hours.
  const grouping = async (source: Prisma.Sql, bucketOf: Prisma.Sql, count: Prisma.Sql, filter: Prisma.Sql): Promise<GroupedRow[]> => {
    const [series, rules] = await Promise.all([
      db.$queryRaw<GroupedRow[]>`SELECT 0 AS by_rule, ${bucketOf} AS bucket, NULL AS rule_id, family, action, ${count} AS count
        FROM ${source} WHERE ${filter} GROUP BY 2, family, action`,
      db.$queryRaw<GroupedRow[]>`SELECT 1 AS by_rule, NULL AS bucket, rule_id, family, NULL AS action, ${count} AS count
        FROM ${source} WHERE ${filter} GROUP BY rule_id, family`,
    ]);
    return [...series, ...rules];
  };
  const fromRollups = async (): Promise<GroupedRow[]> => {
    const plan = bucket === "day" ? [{ grain: "day", from, to, sign: 1 }] : planRuleRollupWindow(from, to, new Date(now.getTime() + FUTURE_SLACK_MS));
    const [series, rules] = await Promise.all([
      db.$queryRaw<GroupedRow[]>`SELECT 0 AS by_rule, bucket, NULL AS rule_id, family, action, sum(count) AS count
        FROM ${Prisma.raw(query.ruleId ? "security_event_rule_rollups" : "security_event_family_rollups")}
        WHERE grain = ${bucket} AND ${where("bucket", "text", rule)}
        GROUP BY bucket, family, action`,
      // One branch per range, each with constant bounds: a range scan of the primary key
      // apiece (joined to the ranges as a table, the planner hashed on grain and read it all).
      db.$queryRaw<GroupedRow[]>`SELECT 1 AS by_rule, NULL AS bucket, rule_id, family, NULL AS action, sum(n) AS count FROM (${Prisma.join(
        plan.map(
          (r) => Prisma.sql`SELECT rule_id, family, ${r.sign === 1 ? Prisma.raw("count") : Prisma.raw("-count")} AS n FROM security_event_rule_rollups
            WHERE grain = ${r.grain} AND bucket >= ${r.from} AND bucket < ${r.to} AND ${where(null, "text", rule)}`,
        ),
        " UNION ALL ",
      )}) AS r
        GROUP BY rule_id, family HAVING sum(n) > 0`,
    ]);
    return [...series, ...rules];
  };
  const [grouped, dropped, [stored]] = await Promise.all([
    seriesFromEvents
      ? grouping(Prisma.raw("security_events"), Prisma.sql`date_trunc(${unit}, occurred_at, 'UTC')`, Prisma.raw("count(*)"), eventWhere)
      : hourly
        ? fromRollups()
        : grouping(
            Prisma.raw("security_event_counters"),
            Prisma.sql`date_trunc(${unit}, minute, 'UTC')`,
            Prisma.raw("sum(count)"),
            where("minute", "text", rule),
          ),
    db.$queryRaw<{ dropped: bigint | null }[]>`SELECT sum(dropped) AS dropped FROM security_event_batches WHERE received_at >= ${from} AND received_at < ${to}`,
    // The planner's row estimate of the window's day partitions: what a sample scan reads from.
    db.$queryRaw<[{ rows: number }]>`SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::float8 AS rows
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'security_events'::regclass
        AND c.relname BETWEEN 'security_events_p' || to_char(${from}::timestamptz AT TIME ZONE 'UTC', 'YYYYMMDD')
                          AND 'security_events_p' || to_char(${to}::timestamptz AT TIME ZONE 'UTC', 'YYYYMMDD')`,
  ]);

  const series = grouped
    .filter((r) => r.by_rule === 0)
    .sort((x, y) => x.bucket!.getTime() - y.bucket!.getTime() || cmp(x.family, y.family) || cmp(x.action!, y.action!));
  const topRules = grouped
    .filter((r) => r.by_rule === 1)
    .sort((x, y) => Number(y.count) - Number(x.count) || cmp(x.rule_id!, y.rule_id!) || cmp(x.family, y.family))
    .slice(0, 10);
  const totals = { blocked: 0, logged: 0 };
  for (const row of series) totals[row.action as "blocked" | "logged"] += Number(row.count);
  // Decisions bound the stored events of the window (proxies store at most every decision).
  const decisions = totals.blocked + totals.logged;
  // A sample scan reads rate × the partitions' rows whatever the filters: a selective filter
  // gets a smaller sample (and wider margins) rather than a longer read.
  const rate =
    seriesFromEvents || query.ruleId !== undefined || decisions <= sampleTarget
      ? 1
      : Math.min(1, sampleTarget / decisions, stored.rows > 0 ? (SAMPLE_READ_FACTOR * sampleTarget) / stored.rows : 1);
  const sample = rate < 1 ? Prisma.sql`TABLESAMPLE SYSTEM (${rate * 100}::real) REPEATABLE (0)` : Prisma.empty;
  const top = await db.$queryRaw<TopRow[]>`
    WITH e AS MATERIALIZED (SELECT path, client_ip FROM security_events ${sample} WHERE ${eventWhere})
    (SELECT 'path' AS kind, path AS key, count(*) AS count FROM e GROUP BY path ORDER BY 3 DESC, 2 LIMIT 10)
    UNION ALL
    (SELECT 'client' AS kind, client_ip AS key, count(*) AS count FROM e GROUP BY client_ip ORDER BY 3 DESC, 2 LIMIT 10)`;
  // A sampled count k estimates k ÷ rate events; its standard error is about √(k·(1 − rate)) ÷ rate.
  const estimate = (k: bigint) => ({
    count: Math.round(Number(k) / rate),
    margin: Math.round((1.96 * Math.sqrt(Number(k) * (1 - rate))) / rate),
  });
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucket,
    seriesSource: seriesFromEvents ? ("events" as const) : ("counters" as const),
    series: series.map((r) => ({ bucket: r.bucket!.toISOString(), family: r.family, action: r.action as "blocked" | "logged", count: Number(r.count) })),
    totals,
    topRules: topRules.map((r) => ({ ruleId: r.rule_id!, family: r.family, count: Number(r.count) })),
    topSampleRate: rate,
    topPaths: top.filter((r) => r.kind === "path").map((r) => ({ path: r.key, ...estimate(r.count) })),
    topClients: top.filter((r) => r.kind === "client").map((r) => ({ clientIp: r.key, ...estimate(r.count) })),
    // Dropped events are not attributed to applications: only the organisation-wide view shows them.
    dropped: readable === null ? Number(dropped[0]?.dropped ?? 0) : 0,
  };
}

/** Byte order, as the database's "C" collation and the tests' ORDER BY compare text. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
