import { readFileSync } from "node:fs";
import type { Db, DbTransaction } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { mergePolicies, parsePolicyDocument, type PolicyDocument, type PolicyKind } from "@/lib/policy-spec";
import { policyContentHash } from "./policy-content-hash";

// The demo organisation's policies: the recommended baseline (examples/policies/
// baseline-standard.yaml) published for every environment, and the payments API's
// fine-grained policy (examples/policies/app-payments-api.yaml) published on top. Called
// by prisma/seed.ts; does nothing when policies exist already.

export type SeedDemoPoliciesOptions = {
  /** The security officer who writes, reviews and publishes the baseline; default: the first one by email. */
  securityOfficerEmail?: string;
  /** The application that gets the example application policy. */
  applicationSlug?: string;
};

export async function seedDemoPolicies(db: Db, options: SeedDemoPoliciesOptions = {}) {
  if ((await db.policy.count()) > 0) return { created: false as const };
  const officer = await db.user.findFirst({
    where: {
      memberships: { some: { role: "security-officer" } },
      ...(options.securityOfficerEmail ? { email: options.securityOfficerEmail } : {}),
    },
    orderBy: { email: "asc" },
    select: { id: true },
  });
  if (!officer) throw new Error("seedDemoPolicies: no security officer to publish the baseline");
  const now = new Date();
  const baseline = exampleDocument("baseline-standard.yaml", "BaselinePolicy");

  return db.$transaction(async (tx) => {
    const baselinePolicy = await createPublished(tx, {
      policy: { kind: "baseline", scope: "baseline", name: baseline.metadata.name, environment: null, applicationId: null },
      document: baseline,
      source: exampleText("baseline-standard.yaml"),
      authorId: officer.id,
      officerId: officer.id,
      note: "The recommended baseline: every deny family at standard, blocking.",
      now,
    });

    const slug = options.applicationSlug ?? "payments-api";
    const application = await tx.application.findUnique({ where: { slug }, select: { id: true, teamId: true } });
    if (!application) return { created: true as const, baselinePolicyId: baselinePolicy.id, applicationPolicyId: null };
    const lead = await tx.user.findFirst({
      where: { memberships: { some: { teamId: application.teamId, role: "project-lead" } } },
      orderBy: { email: "asc" },
      select: { id: true },
    });
    const example = exampleDocument("app-payments-api.yaml", "ApplicationPolicy");
    const appPolicyDocument = { ...example, metadata: { ...example.metadata, application: slug } };
    const merged = mergePolicies(baseline, appPolicyDocument, { now });
    if (!merged.ok) throw new Error(`seedDemoPolicies: the example application policy does not merge: ${JSON.stringify(merged.errors)}`);
    const applicationPolicy = await createPublished(tx, {
      policy: { kind: "application", scope: `application:${application.id}`, name: slug, environment: null, applicationId: application.id },
      document: appPolicyDocument,
      source: exampleText("app-payments-api.yaml").replace(/^(  application:) payments-api$/m, `$1 ${slug}`),
      authorId: lead?.id ?? officer.id,
      officerId: officer.id,
      note: "OpenAPI validation, token verification and one justified exception.",
      now,
    });
    return { created: true as const, baselinePolicyId: baselinePolicy.id, applicationPolicyId: applicationPolicy.id };
  });
}

/** An example file as written, less the editor hint whose relative schema path means nothing in the portal. */
function exampleText(file: string): string {
  return readFileSync(new URL(`../../examples/policies/${file}`, import.meta.url), "utf8").replace(/^# yaml-language-server:.*\n(#\n)?/, "");
}

function exampleDocument<K extends PolicyKind>(file: string, kind: K): Extract<PolicyDocument, { kind: K }> {
  const text = exampleText(file);
  const parsed = parsePolicyDocument(text, { kind } as { kind: PolicyKind });
  if (!parsed.ok) throw new Error(`seedDemoPolicies: examples/policies/${file} is invalid: ${JSON.stringify(parsed.errors)}`);
  return parsed.policy as Extract<PolicyDocument, { kind: K }>;
}

/** A policy with version 1 taken through submit, approve and publish, as the state machine would. */
async function createPublished(
  tx: DbTransaction,
  input: {
    policy: Prisma.PolicyUncheckedCreateInput;
    document: PolicyDocument;
    /** The example file as written (comments and order kept). */
    source: string;
    authorId: string;
    officerId: string;
    note: string;
    now: Date;
  },
) {
  const policy = await tx.policy.create({ data: input.policy });
  // Versions start as drafts (a trigger insists); each step is its own update, as in the portal.
  const version = await tx.policyVersion.create({
    data: {
      policyId: policy.id,
      number: 1,
      content: input.document as unknown as Prisma.InputJsonValue,
      contentHash: policyContentHash(input.document),
      sourceText: input.source,
      note: input.note,
      authorId: input.authorId,
    },
  });
  const steps: Prisma.PolicyVersionUpdateInput[] = [
    { state: "submitted", submittedAt: input.now, submittedBy: { connect: { id: input.authorId } } },
    { state: "approved", reviewedAt: input.now, reviewedBy: { connect: { id: input.officerId } } },
    { state: "published", publishedAt: input.now, publishedBy: { connect: { id: input.officerId } } },
  ];
  for (const step of steps) await tx.policyVersion.update({ where: { id: version.id }, data: { ...step, version: { increment: 1 } } });
  return tx.policy.update({ where: { id: policy.id }, data: { publishedVersionId: version.id, version: { increment: 1 } } });
}
