import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ExposureBadge } from "@/components/applications/exposure-badge";
import { PageHeader } from "@/components/page-header";
import { EffectivePolicyView } from "@/components/policies/effective-policy-view";
import styles from "@/components/policies/policies.module.css";
import { RiskAcceptancesPanel } from "@/components/policies/risk-acceptances-panel";
import { getApplication } from "@/lib/applications/get-application";
import { canForTeam } from "@/lib/auth/actor";
import { requirePagePermission } from "@/lib/next/current-actor";
import { isAppError } from "@/lib/errors/app-error";
import { orNotFound } from "@/lib/next/or-not-found";
import { findPolicies } from "@/lib/policies/find-policies";
import { findRiskAcceptances } from "@/lib/policies/find-risk-acceptances";
import { getCompiledBundle } from "@/lib/policies/get-compiled-bundle";
import { getEffectivePolicy } from "@/lib/policies/get-effective-policy";
import {
  effectivePolicyQuery,
  effectivePolicyResponse,
  riskAcceptanceListSchema,
  type EffectivePolicyView as EffectivePolicyResponse,
} from "@/lib/policies/policy-schemas";
import type { EffectivePolicy } from "@/lib/policy-spec";
import type { RawSearchParams } from "@/lib/query/search-params";
import { parseSearchParams } from "@/lib/query/search-params";
import { toWire } from "@/lib/shared/to-wire";

export const metadata: Metadata = { title: "Effective policy" };

export default async function EffectivePolicyPage({
  params,
  searchParams,
}: {
  params: Promise<{ applicationId: string }>;
  searchParams: Promise<RawSearchParams>;
}) {
  const actor = await requirePagePermission("policies:read");
  const { applicationId } = await params;
  if (!z.uuid().safeParse(applicationId).success) notFound();
  const application = await orNotFound(getApplication({ actor, id: applicationId }));
  const { query } = parseSearchParams(effectivePolicyQuery, await searchParams, ["environment"]);
  const [policies, acceptances] = await Promise.all([
    findPolicies({ actor, query: { page: 1, pageSize: 1, applicationId } }),
    findRiskAcceptances({ actor, applicationId }).then((list) => toWire(riskAcceptanceListSchema, list)),
  ]);
  const policy = policies.items[0] ?? null;

  // No published baseline, or a published policy that no longer fits the baseline: said
  // in words on the page rather than as an error page.
  let effective: EffectivePolicyResponse | null = null;
  let problem: string | null = null;
  try {
    effective = toWire(effectivePolicyResponse, await getEffectivePolicy({ actor, applicationId, query }));
  } catch (error) {
    if (!isAppError(error) || error.code !== "CONFLICT") throw error;
    problem = [error.message, ...error.fieldErrors.map((e) => `${e.path}: ${e.message}`)].join(" ");
  }
  // The response schema keeps the merged policy loosely typed; it is lib/policy-spec's EffectivePolicy.
  const merged = effective ? (effective.effective as unknown as EffectivePolicy) : null;
  let bundleHash: string | null = null;
  if (effective?.requirement.met) bundleHash = (await getCompiledBundle({ actor, applicationId, query })).bundle.contentHash;
  const bundleHref = `/api/v1/applications/${applicationId}/policy/bundle${query.environment ? `?environment=${query.environment}` : ""}`;

  return (
    <>
      <PageHeader
        title={`Effective policy of ${application.name}`}
        description={
          <>
            The baseline in force with <span className="mono">{application.slug}</span>&apos;s own policy on top.{" "}
            <ExposureBadge exposure={application.exposure} />
          </>
        }
        back={{ href: `/applications/${application.id}`, label: application.name }}
        actions={
          policy ? (
            <Link href={`/policies/${policy.id}`} className="button button-secondary">
              Application policy
            </Link>
          ) : canForTeam(actor, "policies:edit", application.teamId) ? (
            <Link href={`/policies/new?applicationId=${application.id}`} className="button">
              Write a fine-grained policy
            </Link>
          ) : null
        }
      />
      <section className="panel" aria-labelledby="sources-heading">
        <h2 id="sources-heading">Made of</h2>
        <form method="get" className={styles.inlineForm} aria-label="Environment">
          <div className="field">
            <label htmlFor="environment">Environment</label>
            <input
              id="environment"
              name="environment"
              defaultValue={query.environment ?? ""}
              placeholder="every environment"
              aria-describedby="environment-hint"
            />
            <p id="environment-hint" className="field-hint">
              Uses that environment&apos;s baseline when it has a published one.
            </p>
          </div>
          <button type="submit" className="button button-secondary">
            Show
          </button>
        </form>
        {problem ? (
          <div className="alert alert-warning" role="status">
            <p>{problem}</p>
          </div>
        ) : null}
        {effective ? (
          <dl className="details">
            <div>
              <dt>Baseline</dt>
              <dd>
                <Link href={`/policies/${effective.baseline.policyId}/versions/${effective.baseline.versionId}`}>Version {effective.baseline.number}</Link>
                {effective.baseline.environment ? ` (${effective.baseline.environment})` : " (every environment)"}
              </dd>
            </div>
            <div>
              <dt>Application policy</dt>
              <dd>
                {effective.applicationPolicy ? (
                  <Link href={`/policies/${effective.applicationPolicy.policyId}/versions/${effective.applicationPolicy.versionId}`}>
                    Version {effective.applicationPolicy.number}
                  </Link>
                ) : (
                  <span className="muted">None published: the baseline alone</span>
                )}
              </dd>
            </div>
            <div>
              <dt>Compiled bundle</dt>
              <dd>
                {bundleHash ? (
                  <>
                    <a href={bundleHref} className="mono break">
                      {bundleHash}
                    </a>
                  </>
                ) : (
                  <span className="muted">Not delivered (see below)</span>
                )}
              </dd>
            </div>
          </dl>
        ) : null}
        {effective?.requirement.message ? (
          <div className={`alert ${effective.requirement.met ? "alert-info" : "alert-error"}`} role="status">
            <p>{effective.requirement.message}</p>
          </div>
        ) : null}
      </section>
      {merged && (merged.flags.length > 0 || merged.droppedExceptions.length > 0) ? (
        <section className="panel" aria-labelledby="flags-heading">
          <h2 id="flags-heading">For the security team</h2>
          <ul>
            {merged.flags.map((flag) => (
              <li key={`${flag.path}:${flag.message}`}>{flag.message}</li>
            ))}
            {merged.droppedExceptions.map((dropped) => (
              <li key={dropped.id}>{dropped.message}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {application.exposure === "internet" ? (
        <RiskAcceptancesPanel
          applicationId={application.id}
          acceptances={acceptances.items}
          canManage={canForTeam(actor, "policies:accept-risk", application.teamId)}
          required={!effective?.requirement.satisfied}
        />
      ) : null}
      {effective ? (
        <section className="panel" aria-labelledby="settings-heading">
          <h2 id="settings-heading">Settings</h2>
          <EffectivePolicyView effective={merged!} />
        </section>
      ) : null}
    </>
  );
}
