import "server-only";
import { db } from "@/lib/db/client";

/** How long a log-only family must have run without a false positive before switching to block is suggested. */
export const QUIET_PERIOD_DAYS = 14;

export type LogOnlySuggestion = { applicationId: string; name: string; policyId: string | null; family: string; logged: number; since: string };

/**
 * Families that only logged (never blocked) for an application over the quiet period, with
 * findings, and no event of theirs marked as a false positive in that time: their log-only
 * evidence says they can block. Switching is a draft change in the policy editor, reviewed
 * like any other. teamIds null: every application.
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
  const rows = await db.$queryRaw<{ application_id: string; family: string; logged: bigint }[]>`
    SELECT c.application_id, c.family, sum(c.count) FILTER (WHERE c.action = 'logged') AS logged
    FROM security_event_counters c
    WHERE c.minute >= ${since} AND c.application_id <> ''
    GROUP BY c.application_id, c.family
    HAVING sum(c.count) FILTER (WHERE c.action = 'blocked') IS NULL AND sum(c.count) FILTER (WHERE c.action = 'logged') > 0
      AND min(c.minute) < ${new Date(since.getTime() + 86_400_000)}
      AND NOT EXISTS (
        SELECT 1 FROM security_event_false_positives f
        WHERE f.application_id::text = c.application_id AND f.family = c.family AND f.marked_at >= ${since})`;
  if (rows.length === 0) return [];
  const apps = await db.application.findMany({
    where: { id: { in: rows.map((r) => r.application_id) }, archivedAt: null, ...(teamIds === null ? {} : { teamId: { in: teamIds } }) },
    select: { id: true, name: true, policy: { select: { id: true } } },
  });
  const byId = new Map(apps.map((a) => [a.id, a]));
  return rows.flatMap((r) => {
    const app = byId.get(r.application_id);
    return app
      ? [{ applicationId: app.id, name: app.name, policyId: app.policy?.id ?? null, family: r.family, logged: Number(r.logged), since: since.toISOString() }]
      : [];
  });
}
