import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { grantOf } from "@/lib/auth/permissions";
import { db, type DbTransaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import { versionSource } from "./authored-source";
import { userRefJson, versionEditorsJson } from "./version-people-sql";

// How policies and versions are read: the scope that hides other teams' application
// policies, the includes every view needs, and the lookups that turn "not yours" into
// "not found".

const userRef = { select: { id: true, name: true, email: true } } as const;

export const policyInclude = {
  application: { select: { id: true, slug: true, name: true, teamId: true, exposure: true, archivedAt: true } },
  publishedVersion: { select: { id: true, number: true, state: true } },
  versions: { select: { id: true, number: true, state: true }, orderBy: { number: "desc" }, take: 1 },
} as const satisfies Prisma.PolicyInclude;

export type PolicyRecord = Prisma.PolicyGetPayload<{ include: typeof policyInclude }>;

export const versionSummarySelect = {
  id: true,
  policyId: true,
  number: true,
  state: true,
  contentHash: true,
  note: true,
  parentId: true,
  parent: { select: { number: true } },
  author: userRef,
  editors: { select: { user: userRef }, orderBy: { firstEditedAt: "asc" } },
  submittedAt: true,
  submittedBy: userRef,
  submissionSummary: true,
  reviewedAt: true,
  reviewedBy: userRef,
  reviewNote: true,
  publishedAt: true,
  publishedBy: userRef,
  supersededAt: true,
  createdAt: true,
  updatedAt: true,
  version: true,
} as const satisfies Prisma.PolicyVersionSelect;

export const versionSelect = { ...versionSummarySelect, content: true, sourceText: true } as const satisfies Prisma.PolicyVersionSelect;

type VersionSummaryRecord = Prisma.PolicyVersionGetPayload<{ select: typeof versionSummarySelect }>;

/**
 * The policies an actor may read: every baseline (each applies to every application, so
 * whoever reads policies reads them), and application policies of the teams they read.
 */
export function policyReadScope(actor: Actor): Prisma.PolicyWhereInput {
  const grant = grantOf(actor.grants, "policies:read");
  if (grant.org) return {};
  if (grant.teamIds.size === 0) return { id: { in: [] } };
  return { OR: [{ kind: "baseline" }, { application: { teamId: { in: [...grant.teamIds] } } }] };
}

/** One policy the actor may read; other teams' application policies are "not found". */
export async function getPolicyRecord({ actor, id, tx }: { actor: Actor; id: string; tx?: DbTransaction }): Promise<PolicyRecord> {
  const policy = await (tx ?? db).policy.findFirst({ where: { AND: [{ id }, policyReadScope(actor)] } });
  if (!policy) throw new AppError("NOT_FOUND", "No such policy.");
  return (await policyRecordsOf([policy], tx)).records[0]!;
}

/** That the actor may read this policy (other teams' application policies are "not found"), without reading it. */
export async function requireReadablePolicy({ actor, id, tx }: { actor: Actor; id: string; tx?: DbTransaction }): Promise<void> {
  const policy = await (tx ?? db).policy.findFirst({ where: { AND: [{ id }, policyReadScope(actor)] }, select: { id: true } });
  if (!policy) throw new AppError("NOT_FOUND", "No such policy.");
}

type PolicyRelationsRow = {
  policy_id: string;
  application_id: string | null;
  application_slug: string | null;
  application_name: string | null;
  application_team_id: string | null;
  application_exposure: NonNullable<PolicyRecord["application"]>["exposure"];
  application_archived_at: Date | null;
  published_id: string | null;
  published_number: number | null;
  published_state: PolicyState | null;
  latest_id: string | null;
  latest_number: number | null;
  latest_state: PolicyState | null;
  draft_id: string | null;
  draft_number: number | null;
};
type PolicyState = PolicyRecord["versions"][number]["state"];

/**
 * These policies as policyInclude reads them, with each one's open draft, in one query:
 * Prisma would read the application, the published version and the latest version with a
 * query each (and the latest by reading every version of every policy), and the drafts
 * with another.
 */
export async function policyRecordsOf(policies: Prisma.PolicyGetPayload<object>[], tx?: DbTransaction) {
  const ids = policies.map((p) => p.id);
  const rows =
    ids.length === 0
      ? []
      : await (tx ?? db).$queryRaw<PolicyRelationsRow[]>`
          SELECT p.id AS policy_id,
                 a.id AS application_id, a.slug AS application_slug, a.name AS application_name, a.team_id AS application_team_id,
                 a.exposure::text AS application_exposure, a.archived_at AS application_archived_at,
                 pv.id AS published_id, pv.number AS published_number, pv.state::text AS published_state,
                 l.id AS latest_id, l.number AS latest_number, l.state AS latest_state,
                 d.id AS draft_id, d.number AS draft_number
          FROM policies p
          LEFT JOIN applications a ON a.id = p.application_id
          LEFT JOIN policy_versions pv ON pv.id = p.published_version_id
          LEFT JOIN LATERAL (SELECT v.id, v.number, v.state::text AS state FROM policy_versions v WHERE v.policy_id = p.id ORDER BY v.number DESC LIMIT 1) l ON true
          LEFT JOIN LATERAL (SELECT v.id, v.number FROM policy_versions v WHERE v.policy_id = p.id AND v.state = 'draft' ORDER BY v.number DESC LIMIT 1) d ON true
          WHERE p.id = ANY(${ids}::uuid[])`;
  const byId = new Map(rows.map((r) => [r.policy_id, r]));
  const drafts = new Map<string, { id: string; number: number; state: "draft" }>();
  const records = policies.map((policy): PolicyRecord => {
    const r = byId.get(policy.id)!;
    if (r.draft_id !== null) drafts.set(policy.id, { id: r.draft_id, number: r.draft_number!, state: "draft" });
    return {
      ...policy,
      application:
        r.application_id === null
          ? null
          : {
              id: r.application_id,
              slug: r.application_slug!,
              name: r.application_name!,
              teamId: r.application_team_id!,
              exposure: r.application_exposure,
              archivedAt: r.application_archived_at,
            },
      publishedVersion: r.published_id === null ? null : { id: r.published_id, number: r.published_number!, state: r.published_state! },
      versions: r.latest_id === null ? [] : [{ id: r.latest_id, number: r.latest_number!, state: r.latest_state! }],
    };
  });
  return { records, drafts };
}

/** A version of a policy already known to be readable; a version of another policy is "not found". */
export async function getVersionRecord({ policyId, versionId, tx }: { policyId: string; versionId: string; tx?: DbTransaction }) {
  const rows = await (tx ?? db).policyVersion.findMany({
    where: { id: versionId, policyId },
    select: { ...versionColumns, content: true, sourceText: true },
  });
  const [version] = await withPeople(rows, tx);
  if (!version) throw new AppError("NOT_FOUND", "No such version of this policy.");
  return version;
}

/**
 * Every version of a policy as versionSummarySelect reads it, newest first, in one query:
 * with Prisma, the editors and the people were two more (a policy's page and its API read
 * this on every call).
 */
export async function findVersionSummaries({ policyId, tx }: { policyId: string; tx?: DbTransaction }): Promise<VersionSummaryRecord[]> {
  return (tx ?? db).$queryRaw<VersionSummaryRecord[]>`
    SELECT v.id::text AS id, v.policy_id::text AS "policyId", v.number, v.state::text AS state, v.content_hash AS "contentHash", v.note,
           v.parent_id::text AS "parentId", CASE WHEN par.id IS NULL THEN NULL ELSE json_build_object('number', par.number) END AS parent,
           ${userRefJson("au")} AS author,
           ${versionEditorsJson("v", { asEditorRows: true })} AS editors,
           v.submitted_at AS "submittedAt", ${userRefJson("sb")} AS "submittedBy", v.submission_summary AS "submissionSummary",
           v.reviewed_at AS "reviewedAt", ${userRefJson("rb")} AS "reviewedBy", v.review_note AS "reviewNote",
           v.published_at AS "publishedAt", ${userRefJson("pb")} AS "publishedBy",
           v.superseded_at AS "supersededAt", v.created_at AS "createdAt", v.updated_at AS "updatedAt", v.version
    FROM policy_versions v
    JOIN users au ON au.id = v.author_id
    LEFT JOIN users sb ON sb.id = v.submitted_by_id
    LEFT JOIN users rb ON rb.id = v.reviewed_by_id
    LEFT JOIN users pb ON pb.id = v.published_by_id
    LEFT JOIN policy_versions par ON par.id = v.parent_id
    WHERE v.policy_id = ${policyId}::uuid
    ORDER BY v.number DESC`;
}

// versionSummarySelect's columns with its people as ids: Prisma reads each of the five user
// relations, the editors and the parent with a query of its own, so a version is read
// with the ids and withPeople reads the people at once (three queries instead of eight).
const RELATIONS = new Set(["author", "submittedBy", "reviewedBy", "publishedBy", "editors", "parent"]);
type Relation = "author" | "submittedBy" | "reviewedBy" | "publishedBy" | "editors" | "parent";
const versionColumns = {
  ...(Object.fromEntries(Object.entries(versionSummarySelect).filter(([key]) => !RELATIONS.has(key))) as {
    [K in Exclude<keyof typeof versionSummarySelect, Relation>]: true;
  }),
  authorId: true,
  submittedById: true,
  reviewedById: true,
  publishedById: true,
  editors: { select: { userId: true }, orderBy: versionSummarySelect.editors.orderBy },
} as const satisfies Prisma.PolicyVersionSelect;

type VersionIdsRow = Prisma.PolicyVersionGetPayload<{ select: typeof versionColumns }>;
type UserRef = { id: string; name: string; email: string };

/** The rows with their people and parent's number in place of ids, as versionSummarySelect shapes them. */
async function withPeople<T extends VersionIdsRow>(rows: T[], tx?: DbTransaction) {
  const client = tx ?? db;
  const userIds = new Set(rows.flatMap((r) => [r.authorId, r.submittedById, r.reviewedById, r.publishedById, ...r.editors.map((e) => e.userId)]));
  userIds.delete(null);
  // A parent is nearly always a version of the same history.
  const numbers = new Map(rows.map((r) => [r.id, r.number]));
  const otherParents = rows.flatMap((r) => (r.parentId && !numbers.has(r.parentId) ? [r.parentId] : []));
  const [users, parents] = await Promise.all([
    userIds.size > 0 ? client.user.findMany({ where: { id: { in: [...userIds] as string[] } }, select: userRef.select }) : [],
    otherParents.length > 0 ? client.policyVersion.findMany({ where: { id: { in: otherParents } }, select: { id: true, number: true } }) : [],
  ]);
  for (const p of parents) numbers.set(p.id, p.number);
  const byId = new Map<string, UserRef>(users.map((u) => [u.id, u]));
  const user = (id: string | null) => (id === null ? null : (byId.get(id) ?? null));
  return rows.map(({ authorId, submittedById, reviewedById, publishedById, editors, ...row }) => ({
    ...row,
    parent: row.parentId === null ? null : { number: numbers.get(row.parentId)! },
    author: user(authorId)!,
    editors: editors.map((e) => ({ user: user(e.userId)! })),
    submittedBy: user(submittedById),
    reviewedBy: user(reviewedById),
    publishedBy: user(publishedById),
  }));
}

/**
 * Takes the policy's row lock for the rest of the transaction and bumps its version: every
 * change to a policy or its versions goes through here, so two of them never interleave
 * (e.g. two new drafts, or two publications, at once).
 */
export async function lockPolicy(tx: DbTransaction, policyId: string) {
  await tx.policy.update({ where: { id: policyId }, data: { version: { increment: 1 } }, select: { id: true } });
}

export function toVersionSummary(version: VersionSummaryRecord) {
  const { parent, editors, ...rest } = version;
  return { ...rest, editors: editors.map((e) => e.user), parentNumber: parent?.number ?? null };
}

export function toVersionView(version: Prisma.PolicyVersionGetPayload<{ select: typeof versionSelect }>) {
  return { ...toVersionSummary(version), content: version.content as Record<string, unknown>, source: versionSource(version) };
}

/** The API view of a policy; `draft` comes from a separate lookup (at most one per policy). */
export function toPolicyView(policy: PolicyRecord, draft: { id: string; number: number; state: "draft" } | null) {
  const { versions, application, ...rest } = policy;
  return {
    ...rest,
    application: application
      ? { id: application.id, slug: application.slug, name: application.name, teamId: application.teamId, exposure: application.exposure }
      : null,
    latestVersion: versions[0] ?? null,
    draft,
  };
}

/** The open drafts of some policies, by policy id. */
export async function draftsOf(policyIds: string[], tx?: DbTransaction) {
  const drafts = await (tx ?? db).policyVersion.findMany({
    where: { policyId: { in: policyIds }, state: "draft" },
    select: { id: true, number: true, state: true, policyId: true },
  });
  return new Map(drafts.map((d) => [d.policyId, { id: d.id, number: d.number, state: "draft" as const }]));
}
