import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { canonicalJson, type PolicyException } from "@/lib/policy-spec";
import { describeException } from "@/lib/policy-spec/describe-exception";
import { daysBetween, isExpired, utcDate } from "@/lib/policy-spec/policy-dates";
import { familyOfRuleId } from "@/lib/policy-spec/sections/exceptions";
import { policyReadScope } from "@/lib/policies/policy-records";
import type { ExceptionEntry, ListExceptionsQuery } from "./exception-schemas";

const userRef = { select: { id: true, name: true, email: true } } as const;
const versionFields = { id: true, number: true, content: true, author: userRef, submittedBy: userRef, reviewedBy: userRef, reviewedAt: true } as const;

/**
 * The register of deny-rule exceptions across applications: every exception of each
 * published application policy the caller may read, with who asked for it (the version
 * that first carried it as it is now), who approved that, its justification and expiry.
 * Expired ones stay listed (marked) until a new version drops them; the merge already
 * leaves them out of compiled bundles.
 */
export async function findExceptions({ actor, query, now = new Date() }: { actor: Actor; query: ListExceptionsQuery; now?: Date }) {
  const policies = await db.policy.findMany({
    where: {
      AND: [
        policyReadScope(actor),
        { kind: "application", publishedVersionId: { not: null } },
        query.applicationId ? { applicationId: query.applicationId } : {},
        query.teamId ? { application: { teamId: query.teamId } } : {},
      ],
    },
    select: {
      id: true,
      application: { select: { id: true, slug: true, name: true, teamId: true } },
      publishedVersion: { select: versionFields },
      // The versions in force before, newest first: where an unchanged exception came from.
      versions: { where: { state: "superseded" }, select: versionFields, orderBy: { number: "desc" } },
    },
    orderBy: { scope: "asc" },
  });
  const today = utcDate(now);
  const entries: ExceptionEntry[] = [];
  for (const policy of policies) {
    const current = policy.publishedVersion;
    if (!current || !policy.application) continue;
    for (const exception of exceptionsIn(current.content)) {
      let origin = current;
      const same = canonicalJson(exception);
      for (const earlier of policy.versions) {
        if (earlier.number > origin.number) continue;
        if (!exceptionsIn(earlier.content).some((e) => e.id === exception.id && canonicalJson(e) === same)) break;
        origin = earlier;
      }
      entries.push({
        id: exception.id,
        application: policy.application,
        policyId: policy.id,
        versionId: current.id,
        versionNumber: current.number,
        requestedInVersion: origin.number,
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
        requestedBy: origin.submittedBy ?? origin.author,
        approvedBy: origin.reviewedBy,
        approvedAt: origin.reviewedAt?.toISOString() ?? null,
      });
    }
  }
  const filtered = entries
    .filter((e) => !query.family || e.family === query.family)
    .filter((e) => !query.ruleId || e.ruleId === query.ruleId)
    .filter((e) => query.status === undefined || e.expired === (query.status === "expired"))
    .filter((e) => query.expiringWithinDays === undefined || (!e.expired && e.daysLeft <= query.expiringWithinDays))
    .sort((a, b) => a.expires.localeCompare(b.expires) || a.application.slug.localeCompare(b.application.slug) || a.id.localeCompare(b.id));
  const start = (query.page - 1) * query.pageSize;
  return { items: filtered.slice(start, start + query.pageSize), total: filtered.length, page: query.page, pageSize: query.pageSize };
}

function exceptionsIn(content: unknown): PolicyException[] {
  const list = (content as { exceptions?: unknown } | null)?.exceptions;
  return Array.isArray(list) ? (list as PolicyException[]) : [];
}
