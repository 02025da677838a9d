import "server-only";
import { db, type DbTransaction } from "@/lib/db/client";
import type { BaselinePolicy } from "@/lib/policy-spec";
import { storedDocumentOf } from "./stored-policy-document-of";

const select = {
  id: true,
  name: true,
  environment: true,
  publishedVersion: { select: { id: true, number: true, version: true, state: true, content: true, publishedAt: true } },
} as const;

/** Every baseline with a published version: the ones in force, one per environment scope. */
export async function findPublishedBaselines({ tx }: { tx?: DbTransaction } = {}) {
  const policies = await (tx ?? db).policy.findMany({
    where: { kind: "baseline", publishedVersionId: { not: null } },
    select,
    orderBy: { scope: "asc" },
  });
  return policies.flatMap((policy) =>
    policy.publishedVersion
      ? [
          {
            policy: { id: policy.id, name: policy.name, environment: policy.environment },
            version: policy.publishedVersion,
            document: storedDocumentOf("baseline", policy.publishedVersion) as BaselinePolicy,
          },
        ]
      : [],
  );
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
