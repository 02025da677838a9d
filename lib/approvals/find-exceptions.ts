import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { BoundedMemo } from "@/lib/delivery/bounded-memo";
import { canonicalJson, type PolicyException } from "@/lib/policy-spec";
import { describeException } from "@/lib/policy-spec/describe-exception";
import { daysBetween, isExpired, utcDate } from "@/lib/policy-spec/policy-dates";
import { familyOfRuleId } from "@/lib/policy-spec/sections/exceptions";
import { policyReadScope } from "@/lib/policies/policy-records";
import type { ExceptionEntry, ListExceptionsQuery } from "./exception-schemas";

const userRef = { select: { id: true, name: true, email: true } } as const;

type VersionExceptions = { id: string; policy_id: string; number: number; exceptions: unknown };

/**
 * The register of deny-rule exceptions across applications: every exception of each
 * published application policy the caller may read, with who asked for it (the version
 * that first carried it as it is now), who approved that, its justification and expiry.
 * Expired ones stay listed (marked) until a new version drops them; the merge already
 * leaves them out of compiled bundles.
 *
 * Every application policy carries exceptions and keeps all its versions, so the cost is
 * kept to what the answer needs: only the `exceptions` member of each published version
 * is read (not whole documents), and the history that names who asked for an exception is
 * read only for the policies on the requested page — a count (the home page) reads none.
 */
export async function findExceptions({ actor, query, now = new Date() }: { actor: Actor; query: ListExceptionsQuery; now?: Date }) {
  const today = utcDate(now);
  const published = await publishedExceptions(expiryRange(query, today));
  if (published.size === 0) return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
  const policies = await db.policy.findMany({
    where: {
      AND: [
        policyReadScope(actor),
        { kind: "application", publishedVersionId: { in: [...published.keys()] } },
        query.applicationId ? { applicationId: query.applicationId } : {},
        query.teamId ? { application: { teamId: query.teamId } } : {},
      ],
    },
    select: { id: true, publishedVersionId: true, application: { select: { id: true, slug: true, name: true, teamId: true } } },
    orderBy: { scope: "asc" },
  });
  const listed: { entry: Omit<ExceptionEntry, "requestedInVersion" | "requestedBy" | "approvedBy" | "approvedAt">; exception: PolicyException }[] = [];
  for (const policy of policies) {
    const current = policy.publishedVersionId ? published.get(policy.publishedVersionId) : undefined;
    if (!current || !policy.application) continue;
    for (const exception of exceptionsIn(current.exceptions)) {
      listed.push({
        exception,
        entry: {
          id: exception.id,
          application: policy.application,
          policyId: policy.id,
          versionId: current.id,
          versionNumber: current.number,
          family: exception.family ?? familyOfRuleId(exception.ruleId!),
          ruleId: exception.ruleId ?? null,
          part: exception.part,
          name: exception.name ?? null,
          paths: exception.conditions.paths,
          methods: exception.conditions.methods ?? null,
          description: describeException(exception),
          justification: exception.justification,
          ticket: exception.ticket ?? null,
          expires: exception.expires,
          daysLeft: daysBetween(today, exception.expires),
          expired: isExpired(exception.expires, now),
        },
      });
    }
  }
  const filtered = listed
    .filter(({ entry: e }) => !query.family || e.family === query.family)
    .filter(({ entry: e }) => !query.ruleId || e.ruleId === query.ruleId)
    .filter(({ entry: e }) => query.status === undefined || e.expired === (query.status === "expired"))
    .filter(({ entry: e }) => query.expiringWithinDays === undefined || (!e.expired && e.daysLeft <= query.expiringWithinDays))
    .sort(
      ({ entry: a }, { entry: b }) => a.expires.localeCompare(b.expires) || a.application.slug.localeCompare(b.application.slug) || a.id.localeCompare(b.id),
    );
  const start = (query.page - 1) * query.pageSize;
  const page = filtered.slice(start, start + query.pageSize);
  return { items: await withOrigins(page), total: filtered.length, page: query.page, pageSize: query.pageSize };
}

/**
 * Who asked for each exception and who approved it: the earliest version of an unbroken
 * run of versions, ending at the published one, that carried it exactly as it is now.
 */
async function withOrigins(
  page: { entry: Omit<ExceptionEntry, "requestedInVersion" | "requestedBy" | "approvedBy" | "approvedAt">; exception: PolicyException }[],
) {
  if (page.length === 0) return [];
  const policyIds = [...new Set(page.map((p) => p.entry.policyId))];
  const history = await db.$queryRaw<VersionExceptions[]>`
    SELECT id, policy_id, number, content->'exceptions' AS exceptions
    FROM policy_versions
    WHERE policy_id = ANY(${policyIds}::uuid[]) AND state = 'superseded'
    ORDER BY policy_id, number DESC`;
  const earlierOf = new Map<string, VersionExceptions[]>();
  for (const version of history) earlierOf.set(version.policy_id, [...(earlierOf.get(version.policy_id) ?? []), version]);
  const origins = page.map(({ entry, exception }) => {
    let origin = { id: entry.versionId, number: entry.versionNumber };
    const same = canonicalJson(exception);
    for (const earlier of earlierOf.get(entry.policyId) ?? []) {
      if (earlier.number > origin.number) continue;
      if (!exceptionsIn(earlier.exceptions).some((e) => e.id === exception.id && canonicalJson(e) === same)) break;
      origin = earlier;
    }
    return origin;
  });
  const people = await db.policyVersion.findMany({
    where: { id: { in: [...new Set(origins.map((o) => o.id))] } },
    select: { id: true, author: userRef, submittedBy: userRef, reviewedBy: userRef, reviewedAt: true },
  });
  const byId = new Map(people.map((p) => [p.id, p]));
  return page.map(({ entry }, i): ExceptionEntry => {
    const origin = byId.get(origins[i]!.id)!;
    const { id, application, policyId, versionId, versionNumber, ...rest } = entry;
    return {
      id,
      application,
      policyId,
      versionId,
      versionNumber,
      requestedInVersion: origins[i]!.number,
      ...rest,
      requestedBy: origin.submittedBy ?? origin.author,
      approvedBy: origin.reviewedBy,
      approvedAt: origin.reviewedAt?.toISOString() ?? null,
    };
  });
}

// The exceptions of a version, by (id, row version): a version's content changes only
// while it is a draft, and every change bumps its row version, so an entry never needs
// invalidating. Reading them from every published document took most of the home page's
// time (each document is a few KB of JSON, one per application).
const exceptionsByVersion = new BoundedMemo<PolicyException[]>(20_000);

/**
 * The exceptions of every published application policy, only where some exception expires
 * within `range` (YYYY-MM-DD, both ends included, null: open): the exact filters run on
 * the entries, this only spares building entries no filter could keep. Documents are read
 * (their `exceptions` member only) for versions not seen before.
 */
async function publishedExceptions(range: { from: string | null; to: string | null }): Promise<Map<string, VersionExceptions>> {
  // One row holding every published version as JSON: a row each was a thousand rows for the
  // driver to map on every home page (4.8 ms of CPU of its 7 at 1,000 applications).
  const [{ versions }] = await db.$queryRaw<[{ versions: { id: string; policy_id: string; number: number; version: number }[] }]>`
    SELECT coalesce(json_agg(json_build_object('id', v.id, 'policy_id', v.policy_id, 'number', v.number, 'version', v.version)), '[]') AS versions
    FROM policies p JOIN policy_versions v ON v.id = p.published_version_id
    WHERE p.kind = 'application'`;
  const key = (v: { id: string; version: number }) => `${v.id}:${v.version}`;
  const known = new Map(versions.map((v) => [v.id, exceptionsByVersion.get(key(v))]));
  const unread = versions.filter((v) => known.get(v.id) === undefined);
  if (unread.length > 0) {
    const rows = await db.$queryRaw<{ id: string; exceptions: unknown }[]>`
      SELECT id, content->'exceptions' AS exceptions FROM policy_versions WHERE id = ANY(${unread.map((v) => v.id)}::uuid[])`;
    const read = new Map(rows.map((r) => [r.id, exceptionsIn(r.exceptions)]));
    for (const v of unread) known.set(v.id, exceptionsByVersion.set(key(v), read.get(v.id) ?? []));
  }
  const inRange = (e: PolicyException) => (range.from === null || e.expires >= range.from) && (range.to === null || e.expires <= range.to);
  return new Map(
    versions.flatMap((v) => {
      const exceptions = known.get(v.id)!;
      return exceptions.some(inRange) ? [[v.id, { id: v.id, policy_id: v.policy_id, number: v.number, exceptions }]] : [];
    }),
  );
}

/** The expiry dates the query's status and expiringWithinDays admit (isExpired: expires before today). */
function expiryRange(query: ListExceptionsQuery, today: string): { from: string | null; to: string | null } {
  const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  let from: string | null = null;
  let to: string | null = null;
  if (query.status === "active" || query.expiringWithinDays !== undefined) from = today;
  if (query.status === "expired") to = day(-1);
  if (query.expiringWithinDays !== undefined) to = to !== null && to < day(query.expiringWithinDays) ? to : day(query.expiringWithinDays);
  return { from, to };
}

function exceptionsIn(list: unknown): PolicyException[] {
  return Array.isArray(list) ? (list as PolicyException[]) : [];
}
