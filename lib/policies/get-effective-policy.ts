import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { getApplication } from "@/lib/applications/get-application";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { mergePolicies, type ApplicationPolicy, type BaselinePolicy } from "@/lib/policy-spec";
import { evaluateFineGrainedRequirement } from "./evaluate-fine-grained-requirement";
import { findBaselineInForce } from "./find-published-baselines";
import { fieldPathOf } from "./policy-field-path";
import type { EffectivePolicyQuery } from "./policy-schemas";
import { storedApplicationPolicy, storedBaseline } from "./stored-policy-document";

const versionFields = { id: true, number: true, state: true, content: true, policyId: true } as const;

/**
 * The effective policy of an application: the baseline in force merged with the
 * application's policy. By default only published versions count — the baseline for the
 * environment (else the one for every environment) and the application's published
 * policy (else none: the baseline alone) — because that is what the proxies enforce. A
 * preview names other versions explicitly (e.g. the draft being edited); a draft is never
 * used implicitly, and without a published baseline there is no effective policy at all.
 */
export async function getEffectivePolicy({ actor, applicationId, query }: { actor: Actor; applicationId: string; query: EffectivePolicyQuery }) {
  const application = await getApplication({ actor, id: applicationId });
  const now = new Date();

  let baseline: { policyId: string; environment: string | null; version: { id: string; number: number; state: string }; document: BaselinePolicy };
  if (query.baselineVersionId) {
    const version = await db.policyVersion.findFirst({
      where: { id: query.baselineVersionId, policy: { kind: "baseline" } },
      select: { ...versionFields, policy: { select: { environment: true } } },
    });
    if (!version) throw new AppError("NOT_FOUND", "No such baseline version.");
    baseline = { policyId: version.policyId, environment: version.policy.environment, version, document: storedBaseline(version) };
  } else {
    const inForce = await findBaselineInForce({ environment: query.environment ?? null });
    if (!inForce) {
      throw new AppError(
        "CONFLICT",
        "No baseline policy is published yet, so no application has an effective policy. A security officer publishes one first.",
        {
          details: { rule: "baseline-required" },
        },
      );
    }
    baseline = { policyId: inForce.policy.id, environment: inForce.policy.environment, version: inForce.version, document: inForce.document };
  }

  const applicationPolicy = await db.policy.findUnique({
    where: { applicationId },
    select: { id: true, publishedVersion: { select: versionFields } },
  });
  let appVersion: { id: string; number: number; state: string; content: unknown; policyId: string } | null = applicationPolicy?.publishedVersion ?? null;
  if (query.applicationVersionId) {
    appVersion = applicationPolicy
      ? await db.policyVersion.findFirst({ where: { id: query.applicationVersionId, policyId: applicationPolicy.id }, select: versionFields })
      : null;
    if (!appVersion) throw new AppError("NOT_FOUND", "No such version of this application's policy.");
  }
  const appDocument: ApplicationPolicy | null = appVersion ? storedApplicationPolicy(appVersion) : null;

  const merged = mergePolicies(baseline.document, appDocument, {
    now,
    versions: { baseline: baseline.version.id, application: appVersion?.id },
  });
  if (!merged.ok) {
    throw new AppError("CONFLICT", `Version ${appVersion?.number} of the application's policy loosens the baseline in force; edit it in a new draft.`, {
      fieldErrors: merged.errors.map((e) => ({
        path: fieldPathOf("applicationPolicy.content", e.path),
        message: e.baselineRule ? `${e.message} (conflicts with the baseline's ${e.baselineRule})` : e.message,
      })),
    });
  }
  const requirement = await evaluateFineGrainedRequirement({ application, document: appDocument, now });
  return {
    application: { id: application.id, slug: application.slug, name: application.name, exposure: application.exposure },
    baseline: {
      policyId: baseline.policyId,
      versionId: baseline.version.id,
      number: baseline.version.number,
      state: baseline.version.state,
      environment: baseline.environment,
    },
    applicationPolicy: appVersion ? { policyId: appVersion.policyId, versionId: appVersion.id, number: appVersion.number, state: appVersion.state } : null,
    preview: baseline.version.state !== "published" || (appVersion !== null && appVersion.state !== "published"),
    requirement,
    effective: merged.effective,
  };
}
