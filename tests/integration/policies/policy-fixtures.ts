// Policies made directly in the database for tests that are about something else
// (authorization, reads, transitions from a given state). Versions go through the same
// states in the same order as in the portal, since a trigger refuses anything else.
import type { DbTransaction } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { policyContentHash } from "@/lib/policies/policy-content-hash";
import type { PolicyVersionState } from "@/lib/policies/policy-schemas";
import { parsePolicyDocument } from "@/lib/policy-spec";

export const API_VERSION = "rampart.dev/v1alpha1";

export function baselineDocument(sections: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) {
  return { apiVersion: API_VERSION, kind: "BaselinePolicy", metadata: { name: "test-baseline", ...metadata }, ...sections };
}

export function applicationDocument(slug: string, sections: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) {
  return { apiVersion: API_VERSION, kind: "ApplicationPolicy", metadata: { application: slug, applicationVersion: "1.0.0", ...metadata }, ...sections };
}

/** As the portal stores it: validated, defaults filled in. */
export function normalized(document: Record<string, unknown>) {
  const parsed = parsePolicyDocument(document);
  if (!parsed.ok) throw new Error(`invalid fixture document: ${JSON.stringify(parsed.errors)}`);
  return parsed.policy;
}

const PATH: Record<PolicyVersionState, PolicyVersionState[]> = {
  draft: [],
  submitted: ["submitted"],
  approved: ["submitted", "approved"],
  rejected: ["submitted", "rejected"],
  published: ["submitted", "approved", "published"],
  superseded: ["submitted", "approved", "published", "superseded"],
};

export type PolicyFixtureInput = {
  kind: "baseline" | "application";
  application?: { id: string; slug: string };
  environment?: string | null;
  authorId: string;
  /** Reviews and publishes; defaults to the author. */
  officerId?: string;
  /** Version 1, 2, …: each derived from the one before. The last published one is in force. */
  versions: { state: PolicyVersionState; content?: Record<string, unknown> }[];
};

export async function createPolicyFixture(db: DbTransaction, input: PolicyFixtureInput) {
  const officerId = input.officerId ?? input.authorId;
  const environment = input.kind === "baseline" ? (input.environment ?? null) : null;
  const scope = input.kind === "application" ? `application:${input.application!.id}` : environment ? `baseline:${environment}` : "baseline";
  const policy = await db.policy.create({
    data: {
      kind: input.kind,
      scope,
      name: input.kind === "application" ? input.application!.slug : "test-baseline",
      environment,
      applicationId: input.application?.id ?? null,
    },
  });
  const versions: { id: string; number: number; state: PolicyVersionState; version: number }[] = [];
  let parentId: string | null = null;
  let publishedId: string | null = null;
  for (const [index, spec] of input.versions.entries()) {
    const raw =
      spec.content ?? (input.kind === "application" ? applicationDocument(input.application!.slug) : baselineDocument({}, environment ? { environment } : {}));
    const content = normalized(raw);
    const created: { id: string; version: number } = await db.policyVersion.create({
      data: {
        policyId: policy.id,
        number: index + 1,
        content: content as unknown as Prisma.InputJsonValue,
        contentHash: policyContentHash(content),
        authorId: input.authorId,
        parentId,
      },
      select: { id: true, version: true },
    });
    let version = created.version;
    const now = new Date();
    for (const state of PATH[spec.state]) {
      const stamp: Prisma.PolicyVersionUncheckedUpdateInput =
        state === "submitted"
          ? { submittedAt: now, submittedById: input.authorId }
          : state === "approved" || state === "rejected"
            ? { reviewedAt: now, reviewedById: officerId }
            : state === "published"
              ? { publishedAt: now, publishedById: officerId }
              : { supersededAt: now };
      ({ version } = await db.policyVersion.update({
        where: { id: created.id },
        data: { state, ...stamp, version: { increment: 1 } },
        select: { version: true },
      }));
    }
    if (spec.state === "published") publishedId = created.id;
    versions.push({ id: created.id, number: index + 1, state: spec.state, version });
    parentId = created.id;
  }
  if (publishedId) await db.policy.update({ where: { id: policy.id }, data: { publishedVersionId: publishedId } });
  return { policy, versions };
}

/** The date `offset` days after `from`, as a policy writes expiry dates (YYYY-MM-DD, UTC). */
export function dayFrom(offset: number, from = new Date()): string {
  return new Date(from.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
}

/** A justified sqli exception for parameter q on the path /<id>, expiring on `expires`. */
export function searchException(id: string, expires: string) {
  return {
    id,
    family: "sqli",
    part: "parameter",
    name: "q",
    conditions: { paths: [`/${id}`] },
    justification: "Free-text search takes quotes and SQL keywords by design.",
    expires,
  };
}
