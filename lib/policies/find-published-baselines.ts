import "server-only";
import { db, type DbTransaction } from "@/lib/db/client";
import type { BaselinePolicy } from "@/lib/policy-spec";
import type { PolicyVersionState } from "@/lib/generated/prisma/client";
import { memoisedStoredDocument, storedDocumentOf } from "./stored-policy-document-of";

type BaselineRow = {
  policyId: string;
  name: string;
  environment: string | null;
  id: string;
  number: number;
  version: number;
  state: PolicyVersionState;
  publishedAt: Date | null;
};

/**
 * Every baseline with a published version: the ones in force, one per environment scope.
 * One query for the baselines and their versions (Prisma reads the relation with a second);
 * a version's content is read only when this process has not parsed that version yet
 * (stored-policy-document-of.ts), which in steady state is never: the approval queue,
 * effective policies and validation ask on every call.
 */
export async function findPublishedBaselines({ tx }: { tx?: DbTransaction } = {}) {
  const client = tx ?? db;
  const rows = await client.$queryRaw<BaselineRow[]>`
    SELECT p.id::text AS "policyId", p.name, p.environment,
           v.id::text AS id, v.number, v.version, v.state::text AS state, v.published_at AS "publishedAt"
    FROM policies p JOIN policy_versions v ON v.id = p.published_version_id
    WHERE p.kind = 'baseline'
    ORDER BY p.scope`;
  // Taken now: another request may push a document out of the memo while we read contents.
  const known = rows.map((row) => memoisedStoredDocument("baseline", row));
  const missing = rows.filter((_, i) => known[i] === undefined).map((row) => row.id);
  const contents =
    missing.length === 0
      ? new Map<string, unknown>()
      : new Map((await client.policyVersion.findMany({ where: { id: { in: missing } }, select: { id: true, content: true } })).map((v) => [v.id, v.content]));
  return rows.map(({ policyId, name, environment, ...version }, i) => ({
    policy: { id: policyId, name, environment },
    version,
    document: (known[i] ?? storedDocumentOf("baseline", { ...version, content: contents.get(version.id) })) as BaselinePolicy,
  }));
}

export type PublishedBaseline = Awaited<ReturnType<typeof findPublishedBaselines>>[number];

/**
 * The baseline in force for an environment: that environment's published baseline if it
 * has one, else the published baseline for every environment. Never a draft: what the
 * proxies enforce is only ever published policy.
 */
export async function findBaselineInForce({ tx, environment }: { tx?: DbTransaction; environment?: string | null }) {
  const published = await findPublishedBaselines({ tx });
  return published.find((b) => environment && b.policy.environment === environment) ?? published.find((b) => b.policy.environment === null) ?? null;
}
