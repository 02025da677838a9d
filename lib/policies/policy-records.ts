import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { grantOf } from "@/lib/auth/permissions";
import { db, type DbTransaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import { versionSource } from "./authored-source";

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
  const version = await (tx ?? db).policyVersion.findFirst({ where: { id: versionId, policyId }, select: versionSelect });
  if (!version) throw new AppError("NOT_FOUND", "No such version of this policy.");
  return version;
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
