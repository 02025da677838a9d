import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db/client";
import { AppError, isAppError } from "@/lib/errors/app-error";
import { hasFineGrainedRules } from "@/lib/policies/has-fine-grained-rules";
import { storedApplicationPolicy, storedBaseline } from "@/lib/policies/stored-policy-document";
import {
  compilePolicy,
  DELIVERY_FORMAT,
  mergePolicies,
  type ApplicationPolicy,
  type BaselinePolicy,
  type Bundle,
  type DeliverySet,
} from "@/lib/policy-spec";
import { BoundedMemo } from "./bounded-memo";

/** Why an application of a target is not in its delivery set (shown in the status view). */
export type ExcludedApplication = { applicationId: string; slug: string; reason: string };

export type DesiredApplication = {
  applicationId: string;
  slug: string;
  contentHash: string;
  baselineVersion: { id: string; number: number };
  applicationVersion: { id: string; number: number } | null;
};

/** What a target should run: the set to sign, and per application what it was built from or why it was left out. */
export type DesiredDelivery = { set: DeliverySet; applications: DesiredApplication[]; excluded: ExcludedApplication[] };

type VersionRef = { id: string; number: number };
type BundleOutcome = { ok: true; bundle: Bundle } | { ok: false; reason: string };

// Derived data only, keyed by everything it is derived from. Published versions are
// immutable (a trigger sees to it), so a parsed document per version id never goes stale,
// and a compiled bundle per (versions, application facts, day) neither: when 50 proxies wake
// at once after a publication, the new bundle is compiled once per process.
const documents = new BoundedMemo<Promise<BaselinePolicy | ApplicationPolicy>>(500);
const bundles = new BoundedMemo<Promise<BundleOutcome>>(1_000);
// Concurrent requests for the same target at the same listener generation share one build.
const inFlight = new Map<string, Promise<DesiredDelivery>>();

const nativeSha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * The delivery set of a target from the policy published now: for each of its applications
 * the baseline in force for the target's environment merged with the application's
 * published policy, compiled. An application that cannot be delivered (archived, no
 * baseline, internet-facing without fine-grained policy or accepted risk, a policy that no
 * longer merges) is left out with the reason; its proxies keep what they run for it.
 *
 * `generation` (the delivery listener's notification count when the caller started) lets
 * callers that are equally fresh share one build; a caller woken by a later notification
 * never receives a build that began before it.
 */
export function buildDeliverySet({ targetId, generation = -1 }: { targetId: string; generation?: number }): Promise<DesiredDelivery> {
  const key = `${targetId}:${generation}`;
  const running = inFlight.get(key);
  if (running) return running;
  const build = buildNow(targetId).finally(() => inFlight.delete(key));
  inFlight.set(key, build);
  return build;
}

async function buildNow(targetId: string): Promise<DesiredDelivery> {
  const now = new Date();
  const target = await db.deliveryTarget.findUnique({
    where: { id: targetId },
    select: {
      id: true,
      name: true,
      environment: true,
      applications: { select: { application: { select: { id: true, slug: true, exposure: true, archivedAt: true } } } },
    },
  });
  if (!target) throw new AppError("NOT_FOUND", "No such delivery target.");
  const applications = target.applications.map((a) => a.application).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ids = applications.map((a) => a.id);

  const [baselines, appPolicies, acceptances] = await Promise.all([
    db.policy.findMany({
      where: { kind: "baseline", publishedVersionId: { not: null } },
      select: { environment: true, publishedVersion: { select: { id: true, number: true } } },
    }),
    db.policy.findMany({ where: { applicationId: { in: ids } }, select: { applicationId: true, publishedVersion: { select: { id: true, number: true } } } }),
    db.riskAcceptance.findMany({
      where: { applicationId: { in: applications.filter((a) => a.exposure === "internet").map((a) => a.id) }, revokedAt: null, expiresAt: { gt: now } },
      select: { id: true, applicationId: true },
      orderBy: { expiresAt: "desc" },
    }),
  ]);
  const baseline =
    (target.environment ? baselines.find((b) => b.environment === target.environment) : undefined)?.publishedVersion ??
    baselines.find((b) => b.environment === null)?.publishedVersion ??
    null;
  const published = new Map(appPolicies.map((p) => [p.applicationId!, p.publishedVersion]));
  const acceptance = new Map<string, string>();
  for (const a of acceptances) if (!acceptance.has(a.applicationId)) acceptance.set(a.applicationId, a.id);

  const day = now.toISOString().slice(0, 10);
  const set: DeliverySet = { format: DELIVERY_FORMAT, target: { id: target.id, name: target.name }, applications: [] };
  const desired: DesiredApplication[] = [];
  const excluded: ExcludedApplication[] = [];
  for (const application of applications) {
    const leaveOut = (reason: string) => excluded.push({ applicationId: application.id, slug: application.slug, reason });
    if (application.archivedAt) {
      leaveOut("The application is archived.");
      continue;
    }
    if (!baseline) {
      leaveOut(`No baseline is published${target.environment ? ` for ${target.environment} or for every environment` : ""}.`);
      continue;
    }
    const appVersion = published.get(application.id) ?? null;
    const acceptanceId = acceptance.get(application.id) ?? null;
    // Exceptions expire by the day: the day is an input of the merge.
    const key = [application.id, application.slug, application.exposure, baseline.id, appVersion?.id ?? "-", acceptanceId ?? "-", day].join("|");
    const outcome = await bundles.getOrCreate(key, () =>
      compileBundle({ application, baseline, appVersion, hasAcceptance: acceptanceId !== null, now }).catch((error: unknown) => {
        bundles.delete(key); // a failure (database gone) is not derived data: try again next time
        throw error;
      }),
    );
    if (!outcome.ok) {
      leaveOut(outcome.reason);
      continue;
    }
    set.applications.push({ applicationId: application.id, name: application.slug, bundle: outcome.bundle });
    desired.push({
      applicationId: application.id,
      slug: application.slug,
      contentHash: outcome.bundle.contentHash,
      baselineVersion: baseline,
      applicationVersion: appVersion,
    });
  }
  return { set, applications: desired, excluded };
}

async function compileBundle({
  application,
  baseline,
  appVersion,
  hasAcceptance,
  now,
}: {
  application: { id: string; slug: string; exposure: "internet" | "internal" };
  baseline: VersionRef;
  appVersion: VersionRef | null;
  hasAcceptance: boolean;
  now: Date;
}): Promise<BundleOutcome> {
  try {
    const baselineDocument = (await documentOf(baseline, "baseline")) as BaselinePolicy;
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
    return { ok: true, bundle: compilePolicy(merged.effective, { sha256: nativeSha256 }) };
  } catch (error) {
    // A stored version that no longer validates is the owner's to fix, not a reason to fail the whole set.
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
