import "server-only";
import { skipTake } from "@/lib/shared/pagination";
import type { Actor } from "@/lib/auth/actor";
import { grantOf } from "@/lib/auth/permissions";
import { db } from "@/lib/db/client";
import { BoundedMemo } from "@/lib/delivery/bounded-memo";
import type { Prisma } from "@/lib/generated/prisma/client";
import { diffPolicies, mergePolicies, type PolicyChange, type PolicyDocument } from "@/lib/policy-spec";
import { utcDate } from "@/lib/policy-spec/policy-dates";
import { findPublishedBaselines, type PublishedBaseline } from "@/lib/policies/find-published-baselines";
import { fieldPathOf } from "@/lib/policies/policy-field-path";
import type { PolicyKindName } from "@/lib/policies/policy-schemas";
import { storedDocumentOf } from "@/lib/policies/stored-policy-document-of";
import { userRefJson, versionEditorsJson } from "@/lib/policies/version-people-sql";
import { approvalQueueQuery, type ApprovalEntry, type ApprovalQueueQuery } from "./approval-schemas";
import { riskFlagSchema } from "./compute-risk-flags";

const DAY = 86_400_000;
const storedRiskFlags = riskFlagSchema.array().catch([]);

// The diff of an entry against the version in force, and the merge of the entry with the
// baselines in force, were most of the queue's CPU, redone for every entry on every call
// although their inputs rarely change. Each is kept under a key naming every input: the
// versions' ids and row versions (a version's content changes only with its row version)
// and, for the merge, the UTC day (exception expiry, the merge's only use of the clock,
// is by whole days). Like the parsed documents, nothing needs invalidating.
const diffs = new BoundedMemo<PolicyChange[]>(2_000);
type ImpactErrors = { path: string; message: string }[];
const impacts = new BoundedMemo<ImpactErrors>(2_000);
// The page is read in two queries: Prisma filters, sorts and paginates the versions (its
// where and orderBy reach through relations), and one SQL statement reads everything the
// entries show about them (people, editors, policy, version in force, application, team)
// as JSON. Prisma reads each relation of a nested select with a query of its own: the
// same page was ten round trips.
const entryColumns = {
  id: true,
  number: true,
  version: true,
  submittedAt: true,
  submissionSummary: true,
  riskFlags: true,
} as const satisfies Prisma.PolicyVersionSelect;

type UserRef = { id: string; name: string; email: string };
type EntryRelations = {
  author: UserRef;
  editors: UserRef[];
  submittedBy: UserRef | null;
  policy: {
    id: string;
    kind: PolicyKindName;
    name: string;
    environment: string | null;
    publishedVersion: { id: string; number: number; version: number } | null;
    application: {
      id: string;
      slug: string;
      name: string;
      exposure: "internet" | "internal";
      team: { id: string; slug: string; name: string };
    } | null;
  };
};
type EntryRecord = Prisma.PolicyVersionGetPayload<{ select: typeof entryColumns }> & EntryRelations;

/** What the entries show beyond the version's own columns, by version id, in one query. */
async function entryRelationsOf(ids: string[]): Promise<Map<string, EntryRelations>> {
  if (ids.length === 0) return new Map();
  const rows = await db.$queryRaw<(EntryRelations & { id: string })[]>`
    SELECT v.id::text AS id,
           ${userRefJson("au")} AS author,
           ${userRefJson("sb")} AS "submittedBy",
           ${versionEditorsJson("v")} AS editors,
           json_build_object(
             'id', p.id, 'kind', p.kind, 'name', p.name, 'environment', p.environment,
             'publishedVersion', CASE WHEN pv.id IS NULL THEN NULL ELSE json_build_object('id', pv.id, 'number', pv.number, 'version', pv.version) END,
             'application', CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object(
               'id', a.id, 'slug', a.slug, 'name', a.name, 'exposure', a.exposure,
               'team', json_build_object('id', t.id, 'slug', t.slug, 'name', t.name)) END
           ) AS policy
    FROM policy_versions v
    JOIN users au ON au.id = v.author_id
    LEFT JOIN users sb ON sb.id = v.submitted_by_id
    JOIN policies p ON p.id = v.policy_id
    LEFT JOIN policy_versions pv ON pv.id = p.published_version_id
    LEFT JOIN applications a ON a.id = p.application_id
    LEFT JOIN teams t ON t.id = a.team_id
    WHERE v.id = ANY(${ids}::uuid[])`;
  return new Map(rows.map(({ id, ...relations }) => [id, relations]));
}

const ORDER: Record<ApprovalQueueQuery["sort"], Prisma.PolicyVersionOrderByWithRelationInput[]> = {
  oldest: [{ submittedAt: "asc" }, { id: "asc" }],
  newest: [{ submittedAt: "desc" }, { id: "desc" }],
  risk: [{ riskCount: "desc" }, { submittedAt: "asc" }, { id: "asc" }],
  policy: [{ policy: { name: "asc" } }, { submittedAt: "asc" }, { id: "asc" }],
  author: [{ author: { name: "asc" } }, { submittedAt: "asc" }, { id: "asc" }],
};

/** How many versions the reviewer may decide are waiting (the home page's count): no entries built. */
export async function countApprovalQueue({ actor, now = new Date() }: { actor: Actor; now?: Date }): Promise<number> {
  return db.policyVersion.count({ where: queueWhere(actor, approvalQueueQuery.parse({}), now) });
}

/**
 * The approval queue: every submitted version the reviewer may decide, filtered, sorted
 * and paginated in the database (state + submitted_at index), each entry with its
 * semantic diff against the version in force, its risk flags and its impact on the
 * effective policy. Only the page's entries are diffed, so the cost of a page does not
 * grow with the queue.
 */
export async function findApprovalQueue({ actor, query, now = new Date() }: { actor: Actor; query: ApprovalQueueQuery; now?: Date }) {
  const where = queueWhere(actor, query, now);
  const [rows, total, baselines] = await Promise.all([
    db.policyVersion.findMany({ where, select: entryColumns, orderBy: ORDER[query.sort], ...skipTake(query.page, query.pageSize) }),
    db.policyVersion.count({ where }),
    findPublishedBaselines(),
  ]);
  const relations = await entryRelationsOf(rows.map((row) => row.id));
  const records: EntryRecord[] = rows.map((row) => ({ ...row, ...relations.get(row.id)! }));
  // Documents are read only for what the memos below do not hold yet: most calls need none.
  // What they hold is taken now, as another request may push it out while we read.
  const known = records.map((record) => {
    const published = record.policy.publishedVersion;
    return { diff: published ? diffs.get(diffKey(published, record)) : [], impact: impacts.get(impactKey(record, baselines, now)) };
  });
  const missing = records.flatMap((record, i) => [
    ...(known[i]!.diff === undefined || known[i]!.impact === undefined ? [record.id] : []),
    ...(known[i]!.diff === undefined ? [record.policy.publishedVersion!.id] : []),
  ]);
  const contents =
    missing.length === 0
      ? new Map<string, unknown>()
      : new Map((await db.policyVersion.findMany({ where: { id: { in: missing } }, select: { id: true, content: true } })).map((v) => [v.id, v.content]));
  const documentOf = (kind: PolicyKindName, version: { id: string; number: number; version: number }) =>
    storedDocumentOf(kind, { ...version, content: contents.get(version.id) });
  return { items: records.map((record, i) => toEntry(record, baselines, now, documentOf, known[i]!)), total, page: query.page, pageSize: query.pageSize };
}

export function queueWhere(actor: Actor, query: ApprovalQueueQuery, now: Date): Prisma.PolicyVersionWhereInput {
  const and: Prisma.PolicyVersionWhereInput[] = [{ state: "submitted" }];
  const review = grantOf(actor.grants, "policies:review");
  // Reviewers for some teams only (none today, but the table may grant it) see those
  // teams' application policies; baselines are decided organisation-wide only.
  if (!review.org) and.push({ policy: { application: { teamId: { in: [...review.teamIds] } } } });
  if (query.kind) and.push({ policy: { kind: query.kind } });
  if (query.applicationId) and.push({ policy: { applicationId: query.applicationId } });
  if (query.teamId) and.push({ policy: { application: { teamId: query.teamId } } });
  if (query.authorId) and.push({ authorId: query.authorId });
  if (query.q) {
    const contains = { contains: query.q, mode: "insensitive" as const };
    and.push({
      OR: [
        { policy: { name: contains } },
        { policy: { application: { OR: [{ name: contains }, { slug: contains }] } } },
        { author: { OR: [{ name: contains }, { email: contains }] } },
        { submissionSummary: contains },
      ],
    });
  }
  if (query.olderThanDays !== undefined) and.push({ submittedAt: { lte: new Date(now.getTime() - query.olderThanDays * DAY) } });
  if (query.newerThanDays !== undefined) and.push({ submittedAt: { gte: new Date(now.getTime() - query.newerThanDays * DAY) } });
  if (query.risk === "none") and.push({ riskCount: 0 });
  else if (query.risk === "any") and.push({ riskCount: { gt: 0 } });
  else if (query.risk) and.push({ riskFlags: { array_contains: [{ code: query.risk }] } });
  return { AND: and };
}

type DocumentOf = (kind: PolicyKindName, version: { id: string; number: number; version: number }) => PolicyDocument;

type Known = { diff: PolicyChange[] | undefined; impact: ImpactErrors | undefined };

function toEntry(record: EntryRecord, baselines: PublishedBaseline[], now: Date, documentOf: DocumentOf, known: Known): ApprovalEntry {
  const { policy } = record;
  const after = () => documentOf(policy.kind, record);
  const published = policy.publishedVersion;
  const changes = known.diff ?? (published ? diffs.set(diffKey(published, record), diffPolicies(documentOf(policy.kind, published), after()).changes) : []);
  const submittedAt = record.submittedAt ?? now;
  return {
    policy: { id: policy.id, kind: policy.kind, name: policy.name, environment: policy.environment },
    application: policy.application,
    versionId: record.id,
    number: record.number,
    version: record.version,
    author: record.author,
    editors: record.editors,
    submittedBy: record.submittedBy,
    submittedAt: submittedAt.toISOString(),
    ageDays: Math.floor((now.getTime() - submittedAt.getTime()) / DAY),
    submissionSummary: record.submissionSummary,
    riskFlags: storedRiskFlags.parse(record.riskFlags),
    diff: {
      against: published ? { versionId: published.id, number: published.number } : null,
      changes,
      loosens: changes.filter((c) => c.risk === "loosens").length,
      tightens: changes.filter((c) => c.risk === "tightens").length,
    },
    impact: impactOf(record, after, baselines, submittedAt, now, known.impact),
  };
}

/** What approving would do to the effective policy, against the baselines in force now. */
function impactOf(
  record: { id: string; version: number },
  documentOf: () => PolicyDocument,
  baselines: PublishedBaseline[],
  submittedAt: Date,
  now: Date,
  known: ImpactErrors | undefined,
): ApprovalEntry["impact"] {
  const errors = known ?? impacts.set(impactKey(record, baselines, now), mergeErrors(documentOf(), baselines, now));
  const baselineChangedSinceSubmission = baselines.some((b) => b.version.publishedAt !== null && b.version.publishedAt > submittedAt);
  return { validates: errors.length === 0, errors, baselineChangedSinceSubmission };
}

function mergeErrors(document: PolicyDocument, baselines: PublishedBaseline[], now: Date): ImpactErrors {
  const found: ImpactErrors = [];
  if (document.kind === "ApplicationPolicy") {
    for (const baseline of baselines) {
      const merged = mergePolicies(baseline.document, document, { now });
      if (!merged.ok) for (const error of merged.errors) found.push({ path: fieldPathOf("content", error.path), message: error.message });
    }
  }
  return found;
}

function versionKey(version: { id: string; version: number }): string {
  return `${version.id}:${version.version}`;
}

function diffKey(published: { id: string; version: number }, record: { id: string; version: number }): string {
  return `${versionKey(published)}>${versionKey(record)}`;
}

function impactKey(record: { id: string; version: number }, baselines: PublishedBaseline[], now: Date): string {
  return `${versionKey(record)}|${baselines.map((b) => versionKey(b.version)).join(",")}|${utcDate(now)}`;
}
