import "server-only";
import { db } from "@/lib/db/client";

/** How long a log-only family must have run without a false positive before switching to block is suggested. */
export const QUIET_PERIOD_DAYS = 14;

export type LogOnlySuggestion = {
  applicationId: string;
  name: string;
  policyId: string | null;
  family: string;
  /** Requests it logged (would have blocked) in the quiet period: every decision, from the counters. */
  logged: number;
  /** What it would have blocked, from the stored logged events: how many, from how many clients, where. */
  evidence: {
    events: number;
    clients: number;
    topRules: Array<{ ruleId: string; count: number }>;
    topPaths: Array<{ path: string; count: number }>;
  };
  since: string;
};

type Row = {
  application_id: string;
  family: string;
  logged: bigint;
  events: bigint | null;
  clients: bigint;
  top_rules: Array<{ value: string; count: number }>;
  top_paths: Array<{ value: string; count: number }>;
};

/**
 * Families that only logged (never blocked) for an application over the quiet period, with
 * findings, and no event of theirs marked as a false positive in that time: their log-only
 * evidence says they can block. Read from the hourly rollups: the family rollups (every
 * decision counted) decide, the rule rollups name the top rules; `path` and `client`
 * (security_event_rollups: the stored logged events) show what it would have blocked. Switching is a draft change in the policy editor, reviewed like any other.
 * teamIds null: every application.
 */
export async function findLogOnlySuggestions({
  teamIds,
  now = new Date(),
  quietDays = QUIET_PERIOD_DAYS,
}: {
  teamIds: string[] | null;
  now?: Date;
  quietDays?: number;
}): Promise<LogOnlySuggestion[]> {
  const since = new Date(now.getTime() - quietDays * 86_400_000);
  const fromHour = new Date(Math.floor(since.getTime() / 3_600_000) * 3_600_000);
  const rows = await db.$queryRaw<Row[]>`
    WITH quiet AS (
      SELECT r.application_id, r.family, sum(r.count) FILTER (WHERE r.action = 'logged') AS logged
      FROM security_event_family_rollups r
      WHERE r.grain = 'hour' AND r.bucket >= ${fromHour} AND r.application_id <> ''
      GROUP BY r.application_id, r.family
      HAVING sum(r.count) FILTER (WHERE r.action = 'blocked') IS NULL AND sum(r.count) FILTER (WHERE r.action = 'logged') > 0
        AND min(r.bucket) < ${new Date(since.getTime() + 86_400_000)}
        AND NOT EXISTS (
          SELECT 1 FROM security_event_false_positives f
          WHERE f.application_id::text = r.application_id AND f.family = r.family AND f.marked_at >= ${since})
    )
    SELECT q.application_id, q.family, q.logged,
      (SELECT sum(count) FROM security_event_rollups e WHERE e.dimension = 'path' AND e.application_id = q.application_id
        AND e.family = q.family AND e.action = 'logged' AND e.hour >= ${fromHour}) AS events,
      (SELECT count(DISTINCT value) FROM security_event_rollups e WHERE e.dimension = 'client' AND e.application_id = q.application_id
        AND e.family = q.family AND e.action = 'logged' AND e.hour >= ${fromHour}) AS clients,
      (SELECT coalesce(json_agg(t), '[]') FROM (
        SELECT rule_id AS value, sum(count)::int AS count FROM security_event_rule_rollups e WHERE e.grain = 'hour' AND e.application_id = q.application_id
          AND e.family = q.family AND e.action = 'logged' AND e.bucket >= ${fromHour} GROUP BY rule_id ORDER BY 2 DESC, 1 LIMIT 3) t) AS top_rules,
      (SELECT coalesce(json_agg(t), '[]') FROM (
        SELECT value, sum(count)::int AS count FROM security_event_rollups e WHERE e.dimension = 'path' AND e.application_id = q.application_id
          AND e.family = q.family AND e.action = 'logged' AND e.hour >= ${fromHour} GROUP BY value ORDER BY 2 DESC, 1 LIMIT 3) t) AS top_paths
    FROM quiet q`;
  if (rows.length === 0) return [];
  const apps = await db.application.findMany({
    where: { id: { in: rows.map((r) => r.application_id) }, archivedAt: null, ...(teamIds === null ? {} : { teamId: { in: teamIds } }) },
    select: { id: true, name: true, policy: { select: { id: true } } },
  });
  const byId = new Map(apps.map((a) => [a.id, a]));
  return rows.flatMap((r) => {
    const app = byId.get(r.application_id);
    return app
      ? [
          {
            applicationId: app.id,
            name: app.name,
            policyId: app.policy?.id ?? null,
            family: r.family,
            logged: Number(r.logged),
            evidence: {
              events: Number(r.events ?? 0),
              clients: Number(r.clients),
              topRules: r.top_rules.map((t) => ({ ruleId: t.value, count: t.count })),
              topPaths: r.top_paths.map((t) => ({ path: t.value, count: t.count })),
            },
            since: since.toISOString(),
          },
        ]
      : [];
  });
}
