import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors/app-error";
import { hasFineGrainedRules } from "@/lib/policies/has-fine-grained-rules";
import { storedApplicationPolicy, storedBaseline } from "@/lib/policies/stored-policy-document";
import { compilePolicy, mergePolicies, type ApplicationPolicy, type BaselinePolicy, type Bundle, type EffectivePolicy } from "@/lib/policy-spec";
import { BoundedMemo } from "./bounded-memo";

// The one rule for which of a target's applications are delivered, and why not. Proxies
// (build-delivery-set.ts) and Kubernetes/Git targets (lib/kubernetes/delivery/
// render-target-resources.ts) both ask here, so an application can never reach a cluster
// that its proxies refuse, or the other way round.

/** The application fields the rule reads; callers select them (and whatever else they render) with their target. */
export const deliverableApplicationSelect = { id: true, slug: true, exposure: true, archivedAt: true } as const;

export type TargetApplication = { id: string; slug: string; exposure: "internet" | "internal"; archivedAt: Date | null };

type VersionRef = { id: string; number: number };

/** The baseline in force for the target's environment: that environment's published baseline, else the one for every environment. */
export type BaselineInForce = { policy: { id: string; name: string; environment: string | null }; version: VersionRef };

export type DeliverableApplication<A extends TargetApplication> = {
  application: A;
  baseline: BaselineInForce;
  applicationVersion: VersionRef | null;
  effective: EffectivePolicy;
  bundle: Bundle;
};

/** Why an application of a target is not delivered (shown in the status views). */
export type ExcludedApplication = { applicationId: string; slug: string; reason: string };

export type ResolvedApplications<A extends TargetApplication> = {
  baseline: BaselineInForce | null;
  /** In the order the applications were given. */
  deliverable: DeliverableApplication<A>[];
  excluded: ExcludedApplication[];
};

type CompileOutcome = { ok: true; effective: EffectivePolicy; bundle: Bundle } | { ok: false; reason: string };

// Derived data only, keyed by everything it is derived from. Published versions are
// immutable (a trigger sees to it), so a parsed document per version id never goes stale,
// and a compiled bundle per (versions, application facts, day) neither: when 50 proxies wake
// at once after a publication, the new bundle is compiled once per process.
const documents = new BoundedMemo<Promise<BaselinePolicy | ApplicationPolicy>>(500);
const outcomes = new BoundedMemo<Promise<CompileOutcome>>(1_000);

const nativeSha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * Which of a target's applications can be delivered now, from *published* policy only: for
 * each, the baseline in force for the target's environment merged with the application's
 * published version, compiled. An application that cannot be delivered (archived, no
 * baseline, internet-facing without fine-grained policy or accepted risk, a policy that no
 * longer merges or validates) is left out with the reason; the rest of the target is
 * delivered all the same.
 */
export async function resolveDeliverableApplications<A extends TargetApplication>({
  environment,
  applications,
  now = new Date(),
}: {
  environment: string | null;
  applications: readonly A[];
  now?: Date;
}): Promise<ResolvedApplications<A>> {
  const ids = applications.map((a) => a.id);
  const [baselines, appPolicies, acceptances] = await Promise.all([
    db.policy.findMany({
      where: { kind: "baseline", publishedVersionId: { not: null } },
      select: { id: true, name: true, environment: true, publishedVersion: { select: { id: true, number: true } } },
    }),
    db.policy.findMany({ where: { applicationId: { in: ids } }, select: { applicationId: true, publishedVersion: { select: { id: true, number: true } } } }),
    db.riskAcceptance.findMany({
      where: { applicationId: { in: applications.filter((a) => a.exposure === "internet").map((a) => a.id) }, revokedAt: null, expiresAt: { gt: now } },
      select: { id: true, applicationId: true },
      orderBy: { expiresAt: "desc" },
    }),
  ]);
  const inForce = (environment ? baselines.find((b) => b.environment === environment) : undefined) ?? baselines.find((b) => b.environment === null);
  const baseline: BaselineInForce | null = inForce?.publishedVersion
    ? { policy: { id: inForce.id, name: inForce.name, environment: inForce.environment }, version: inForce.publishedVersion }
    : null;
  const published = new Map(appPolicies.map((p) => [p.applicationId!, p.publishedVersion]));
  const acceptance = new Map<string, string>();
  for (const a of acceptances) if (!acceptance.has(a.applicationId)) acceptance.set(a.applicationId, a.id);

  const day = now.toISOString().slice(0, 10);
  const deliverable: DeliverableApplication<A>[] = [];
  const excluded: ExcludedApplication[] = [];
  for (const application of applications) {
    const leaveOut = (reason: string) => excluded.push({ applicationId: application.id, slug: application.slug, reason });
    if (application.archivedAt) {
      leaveOut("The application is archived.");
      continue;
    }
    if (!baseline) {
      leaveOut(`No baseline is published${environment ? ` for ${environment} or for every environment` : ""}.`);
      continue;
    }
    const appVersion = published.get(application.id) ?? null;
    const acceptanceId = acceptance.get(application.id) ?? null;
    // Exceptions expire by the day: the day is an input of the merge.
    const key = [application.id, application.slug, application.exposure, baseline.version.id, appVersion?.id ?? "-", acceptanceId ?? "-", day].join("|");
    const outcome = await outcomes.getOrCreate(key, () =>
      compileApplication({ application, baseline: baseline.version, appVersion, hasAcceptance: acceptanceId !== null, now }).catch((error: unknown) => {
        outcomes.delete(key); // a failure (database gone) is not derived data: try again next time
        throw error;
      }),
    );
    if (!outcome.ok) {
      leaveOut(outcome.reason);
      continue;
    }
    deliverable.push({ application, baseline, applicationVersion: appVersion, effective: outcome.effective, bundle: outcome.bundle });
  }
  return { baseline, deliverable, excluded };
}

/** A published baseline version's document (memoised); throws CONFLICT when it no longer validates. */
export function publishedBaselineDocument(version: VersionRef): Promise<BaselinePolicy> {
  return documentOf(version, "baseline") as Promise<BaselinePolicy>;
}

async function compileApplication({
  application,
  baseline,
  appVersion,
  hasAcceptance,
  now,
}: {
  application: TargetApplication;
  baseline: VersionRef;
  appVersion: VersionRef | null;
  hasAcceptance: boolean;
  now: Date;
}): Promise<CompileOutcome> {
  try {
    const baselineDocument = await publishedBaselineDocument(baseline);
    const appDocument = appVersion ? ((await documentOf(appVersion, "application")) as ApplicationPolicy) : null;
    // The rule publishing enforces (lib/policies/evaluate-fine-grained-requirement.ts), checked
    // again here: an acceptance may have expired or been revoked since.
    if (application.exposure === "internet" && !hasFineGrainedRules(appDocument) && !hasAcceptance) {
      return {
        ok: false,
        reason: `${application.slug} is exposed to the internet and has no fine-grained policy: publish an application policy with rules of its own, or have a security officer record a risk acceptance.`,
      };
    }
    const merged = mergePolicies(baselineDocument, appDocument, { now, versions: { baseline: baseline.id, application: appVersion?.id } });
    if (!merged.ok) {
      return {
        ok: false,
        reason: `Version ${appVersion?.number} of the application's policy loosens the baseline in force (${merged.errors.map((e) => e.message).join("; ")}).`,
      };
    }
    return { ok: true, effective: merged.effective, bundle: compilePolicy(merged.effective, { sha256: nativeSha256 }) };
  } catch (error) {
    // A stored version that no longer validates is the owner's to fix, not a reason to fail the whole target.
    if (isAppError(error) && error.code === "CONFLICT") return { ok: false, reason: error.message };
    throw error;
  }
}

function documentOf(version: VersionRef, kind: "baseline" | "application") {
  return documents.getOrCreate(version.id, () =>
    db.policyVersion
      .findUniqueOrThrow({ where: { id: version.id }, select: { number: true, content: true } })
      .then((row) => (kind === "baseline" ? storedBaseline(row) : storedApplicationPolicy(row)))
      .catch((error: unknown) => {
        documents.delete(version.id);
        throw error;
      }),
  );
}
