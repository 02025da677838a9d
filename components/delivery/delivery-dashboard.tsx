"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { z } from "zod";
import { deliveryTargetSchema, deliveryTargetWithTokenSchema, type RolloutView } from "@/lib/delivery/delivery-schemas";
import { apiRequest } from "@/lib/query/api-client";
import { deliveryRolloutQuery } from "@/lib/query/delivery-queries";
import { queryKeys } from "@/lib/query/query-keys";
import { ActionButton } from "@/components/action-button";
import { DataTable } from "@/components/data-table";
import { DateTime } from "@/components/date-time";
import type { OnboardingTarget } from "@/lib/delivery/proxy-onboarding";
import { CreateTargetForm } from "./create-target-form";
import { EditTargetApplications } from "./edit-target-applications";
import { ProxyOnboardingPanel } from "./proxy-onboarding-panel";
import { NewDeliveryToken } from "./new-delivery-token";
import { RolloutStateBadge } from "./rollout-state-badge";
import styles from "./delivery.module.css";

type Target = RolloutView["targets"][number];
type Application = { id: string; slug: string; name: string; upstreamUrl: string };
type Issued = { target: OnboardingTarget; token: string };

const shortHash = (hash: string | null) => (hash ? `${hash.slice(7, 19)}…` : "—");

/**
 * The Delivery page's live part: per target, what it should run (desired) against what each
 * of its proxies reports (running), refreshed every two seconds; and, for security
 * officers, registering, rotating and revoking targets.
 */
export function DeliveryDashboard({ canManage, applications, portalUrl }: { canManage: boolean; applications: Application[]; portalUrl: string }) {
  const queryClient = useQueryClient();
  const rollout = useQuery(deliveryRolloutQuery());
  const [issued, setIssued] = useState<Issued | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.delivery.rollout });

  return (
    <>
      {issued ? <NewDeliveryToken target={issued.target} token={issued.token} portalUrl={portalUrl} onDone={() => setIssued(null)} /> : null}
      <section className="panel" aria-labelledby="rollout-heading">
        <h2 id="rollout-heading">Rollout</h2>
        {rollout.error ? (
          <div className="alert alert-error" role="alert">
            <p>The rollout could not be loaded: {rollout.error.message}</p>
          </div>
        ) : !rollout.data ? (
          <p role="status">Loading the rollout…</p>
        ) : (
          <>
            {rollout.data.signingKeyId === null ? (
              <div className="alert alert-warning" role="alert">
                <p>No signing key is configured (RAMPART_SIGNING_KEY): proxies receive nothing until one is.</p>
              </div>
            ) : null}
            <p className="muted">
              Updated <DateTime value={rollout.data.generatedAt} />. A proxy without a heartbeat for {rollout.data.staleAfterSeconds} s is stale.
            </p>
            {rollout.data.targets.length === 0 ? (
              <p className="muted">{canManage ? "No delivery targets yet: register one below." : "No delivery targets deliver your applications yet."}</p>
            ) : (
              rollout.data.targets.map((target) => (
                <TargetRollout
                  key={target.id}
                  target={target}
                  canManage={canManage}
                  applications={applications}
                  portalUrl={portalUrl}
                  onIssued={setIssued}
                  onChanged={refresh}
                />
              ))
            )}
          </>
        )}
      </section>
      {canManage ? (
        <section className="panel" aria-labelledby="create-target-heading">
          <CreateTargetForm
            applications={applications}
            onCreated={(target) => {
              if (target.token) setIssued({ target: onboardingTarget(target, applications), token: target.token });
              void refresh();
            }}
          />
        </section>
      ) : null}
    </>
  );
}

/** What the onboarding command needs of a target: its mode and each application's recorded upstream. */
function onboardingTarget(
  target: { name: string; mode: OnboardingTarget["mode"]; applications: { slug: string }[] },
  applications: Application[],
): OnboardingTarget {
  return {
    name: target.name,
    mode: target.mode,
    applications: target.applications.map((a) => ({ slug: a.slug, upstreamUrl: applications.find((known) => known.slug === a.slug)?.upstreamUrl ?? null })),
  };
}

function TargetRollout({
  target,
  canManage,
  applications,
  portalUrl,
  onIssued,
  onChanged,
}: {
  target: Target;
  canManage: boolean;
  applications: Application[];
  portalUrl: string;
  onIssued: (issued: Issued) => void;
  onChanged: () => void;
}) {
  const headingId = `target-${target.id}`;
  const onboarding = onboardingTarget(target, applications);
  return (
    <article className={`${styles.target} panel`} aria-labelledby={headingId} data-target={target.name}>
      <div className={styles.targetHeader}>
        <h3 id={headingId}>
          {target.name} <RolloutStateBadge state={target.state} />
        </h3>
        {canManage && !target.revokedAt ? (
          <div className="button-row">
            {target.kind === "proxy" ? (
              <ActionButton
                action={() =>
                  apiRequest(`/delivery/targets/${target.id}/rotate-token`, { method: "POST", ifMatch: target.version, schema: deliveryTargetWithTokenSchema })
                }
                onDone={(rotated: z.output<typeof deliveryTargetWithTokenSchema>) => {
                  if (rotated.token) onIssued({ target: onboardingTarget(rotated, applications), token: rotated.token });
                  onChanged();
                }}
                label={`Rotate the token of ${target.name}`}
                pendingLabel="Rotating…"
                className="button button-small button-secondary"
              >
                Rotate token
              </ActionButton>
            ) : null}
            <ActionButton
              action={() => apiRequest(`/delivery/targets/${target.id}/revoke`, { method: "POST", ifMatch: target.version, schema: deliveryTargetSchema })}
              onDone={onChanged}
              label={`Revoke ${target.name}`}
              pendingLabel="Revoking…"
              className="button button-small button-danger-outline"
            >
              Revoke
            </ActionButton>
          </div>
        ) : null}
      </div>
      <p className={styles.facts}>
        <span>{target.kind === "proxy" ? `Proxy · ${target.mode}` : target.kind === "kubernetes" ? "Kubernetes cluster" : "Git repository"}</span>
        {target.kind !== "proxy" ? (
          <Link
            href={`/delivery/targets/${target.id}/kubernetes`}
            aria-label={`${target.kind === "kubernetes" ? "Plan, apply and drift" : "GitOps export"} of ${target.name}`}
          >
            {target.kind === "kubernetes" ? "Plan, apply and drift" : "GitOps export"}
          </Link>
        ) : null}
        <span>Baseline: {target.environment ?? "every environment"}</span>
        <span>
          Desired set: <code className="mono">{shortHash(target.desiredHash)}</code>
        </span>
        <span>
          Last seen: <DateTime value={target.lastSeenAt} />
        </span>
      </p>
      {target.revokedAt ? (
        // The proxies of a revoked target cannot report any more (their heartbeats get 401 too),
        // so what follows is their last word, not their present state.
        <p className="alert alert-warning">
          Revoked <DateTime value={target.revokedAt} />: the portal refuses its token (401) and delivers nothing more to it. Its proxies keep enforcing the last
          set they verified; below is what they reported before.
        </p>
      ) : null}
      {target.desiredError ? <p className="field-error">{target.desiredError}</p> : null}
      {target.kind === "proxy" && target.mode === "gateway" && target.applications.length === 0 && !target.revokedAt ? (
        <p className="alert alert-warning">This gateway has no applications: it receives an empty set and answers every request with 404.</p>
      ) : null}
      {canManage && !target.revokedAt ? (
        <div className={styles.targetTools}>
          <details>
            <summary>Edit applications</summary>
            <EditTargetApplications target={target} applications={applications} onSaved={onChanged} />
          </details>
          {target.kind === "proxy" ? (
            <details>
              <summary>Connect a proxy</summary>
              <ProxyOnboardingPanel portalUrl={portalUrl} target={onboarding} />
            </details>
          ) : null}
        </div>
      ) : null}
      <DataTable
        label={`Applications of ${target.name}`}
        rows={target.applications.map((a) => ({ ...a, id: a.applicationId }))}
        empty={<p className="muted">No applications: this target receives an empty set.</p>}
        columns={[
          { header: "Application", isRowHeader: true, cell: (a) => a.slug },
          {
            header: "Desired",
            cell: (a) =>
              a.desired ? (
                <>
                  baseline v{a.desired.baselineVersion.number}
                  {a.desired.applicationVersion ? ` + policy v${a.desired.applicationVersion.number}` : " (no application policy)"}
                  <div className="muted mono">{shortHash(a.desired.contentHash)}</div>
                </>
              ) : (
                <span className="field-error">Not delivered: {a.excludedReason ?? (target.revokedAt ? "the target is revoked." : "no reason given.")}</span>
              ),
          },
          target.kind === "proxy" && {
            header: "Running",
            cell: (a) => (a.desired ? `${a.instancesInSync} of ${a.instancesLive} live proxies` : "—"),
          },
        ]}
      />
      {target.kind === "proxy" && target.instances.length > 0 ? (
        <DataTable
          label={`Proxy instances of ${target.name}`}
          rows={target.instances.map((i) => ({ ...i, id: i.instanceId }))}
          columns={[
            {
              header: "Instance",
              isRowHeader: true,
              cell: (i) => <span className="mono">{i.hostname ? `${i.hostname} (${i.instanceId})` : i.instanceId}</span>,
            },
            // Without a desired set an instance of a revoked target would read "rolling out"; it will never be in sync again.
            {
              header: "State",
              cell: (i) => (
                <>
                  <RolloutStateBadge state={target.revokedAt ? "revoked" : i.state} />
                  {/* Said in words: the badge alone cannot tell "refused what it should run" from an old error. */}
                  {i.refusedDesired && !target.revokedAt ? (
                    <div className="field-error">
                      refused <code className="mono">{shortHash(i.refusedDesired.hash)}</code> (the desired set)
                    </div>
                  ) : null}
                </>
              ),
            },
            { header: "Running set", cellClassName: "mono", cell: (i) => shortHash(i.runningHash) },
            { header: "Last seen", cell: (i) => <DateTime value={i.lastSeenAt} /> },
            { header: "Requests / blocked", className: "numeric", cell: (i) => `${i.counters.requests} / ${i.counters.blocked}` },
            canManage && {
              header: "",
              cell: (i) =>
                i.state === "stale" || i.state === "failing" ? (
                  <ActionButton
                    action={() => apiRequest(`/delivery/targets/${target.id}/instances/${encodeURIComponent(i.instanceId)}`, { method: "DELETE" })}
                    onDone={onChanged}
                    label={`Remove the stale instance ${i.instanceId}`}
                    pendingLabel="Removing…"
                    className="button button-small button-secondary"
                  >
                    Remove
                  </ActionButton>
                ) : null,
            },
            {
              header: "Last reload error",
              cell: (i) => {
                const error = i.reloadErrors[0];
                if (!error) return <span className="muted">—</span>;
                const isDesired = error.refusedHash !== null && error.refusedHash === target.desiredHash;
                return (
                  <>
                    {error.refusedHash ? (
                      <div className={isDesired ? "field-error" : "muted"}>
                        Refused <code className="mono">{shortHash(error.refusedHash)}</code> {isDesired ? "(the desired set)" : "(an earlier set)"},{" "}
                        <DateTime value={error.at} />
                      </div>
                    ) : null}
                    <span className={isDesired || error.refusedHash === null ? "field-error" : "muted"}>{error.message}</span>
                  </>
                );
              },
            },
          ]}
        />
      ) : null}
    </article>
  );
}
