"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { ActionButton } from "@/components/action-button";
import { DataTable } from "@/components/data-table";
import { DateTime } from "@/components/date-time";
import {
  kubernetesApplySchema,
  kubernetesDriftCheckSchema,
  kubernetesPlanSchema,
  reapplyResponseSchema,
  type KubernetesApplyView,
  type KubernetesDriftCheckView,
  type KubernetesPlanView,
} from "@/lib/kubernetes/delivery/kubernetes-delivery-schemas";
import { apiRequest } from "@/lib/query/api-client";
import { kubernetesDeliveryKeys, kubernetesDeliveryQuery } from "@/lib/query/kubernetes-delivery-queries";
import { DiffText, ResourceName, StateLabel } from "./resource-name";
import styles from "./kubernetes-delivery.module.css";

const shortHash = (hash: string) => `${hash.slice(7, 19)}…`;

/**
 * A Kubernetes target's delivery: plan (the server-side dry-run diff of what the published
 * policy renders to), apply with per-resource results, and drift of what was applied,
 * with re-apply. Security officers act; every reader of the target sees the state.
 * `planOnArrival` (a policy page's "Plan delivery to …" link) starts a plan once on load:
 * a plan is a server-side dry run, so starting it unasked changes nothing in the cluster.
 */
export function KubernetesDeliveryPanel({ targetId, canManage, planOnArrival = false }: { targetId: string; canManage: boolean; planOnArrival?: boolean }) {
  const queryClient = useQueryClient();
  const status = useQuery(kubernetesDeliveryQuery(targetId));
  const refresh = () => queryClient.invalidateQueries({ queryKey: kubernetesDeliveryKeys.status(targetId) });
  const base = `/delivery/targets/${encodeURIComponent(targetId)}/kubernetes`;
  const arrivalPlan = useMutation({
    mutationFn: () => apiRequest(`${base}/plans`, { method: "POST", schema: kubernetesPlanSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: kubernetesDeliveryKeys.status(targetId) }),
  });
  const { mutate: planNow } = arrivalPlan;
  // Once per page load (effects run twice in development), and a reload does not plan again.
  const arrived = useRef(false);
  useEffect(() => {
    if (!planOnArrival || !canManage || arrived.current) return;
    arrived.current = true;
    window.history.replaceState(null, "", base);
    planNow();
  }, [planOnArrival, canManage, base, planNow]);

  if (status.error) {
    return (
      <div className="alert alert-error" role="alert">
        <p>The delivery could not be loaded: {status.error.message}</p>
      </div>
    );
  }
  if (!status.data) return <p role="status">Loading the delivery…</p>;
  const { latestPlan, latestApply, latestDriftCheck } = status.data;

  return (
    <>
      <section className={`panel ${styles.section}`} aria-labelledby="plan-heading">
        <div className={styles.sectionHeader}>
          <h2 id="plan-heading">Plan</h2>
          {canManage ? (
            <ActionButton
              action={() => apiRequest(`${base}/plans`, { method: "POST", schema: kubernetesPlanSchema })}
              onDone={refresh}
              label="Plan: render the published policy and diff it against the cluster"
              pendingLabel="Planning…"
              className="button button-small"
            >
              Plan
            </ActionButton>
          ) : null}
        </div>
        <p className="muted">
          A plan renders what the applications&apos; published policy should put in the cluster and asks the cluster for a server-side dry run of each resource:
          the diff below is what an apply would change.
        </p>
        {arrivalPlan.isPending ? <p role="status">Planning the published policy against the cluster…</p> : null}
        {arrivalPlan.error ? (
          <div className="alert alert-error" role="alert">
            <p>The plan could not be made: {arrivalPlan.error.message}</p>
          </div>
        ) : null}
        {latestPlan ? (
          <PlanView plan={latestPlan} canManage={canManage} applyPath={`${base}/plans/${latestPlan.id}/apply`} onApplied={refresh} />
        ) : (
          <p className="muted">No plan yet.</p>
        )}
      </section>

      <section className={`panel ${styles.section}`} aria-labelledby="apply-heading">
        <h2 id="apply-heading">Last apply</h2>
        {latestApply ? <ApplyView apply={latestApply} /> : <p className="muted">Nothing has been applied to this cluster from Rampart yet.</p>}
      </section>

      <section className={`panel ${styles.section}`} aria-labelledby="drift-heading">
        <div className={styles.sectionHeader}>
          <h2 id="drift-heading">Drift</h2>
          {canManage && latestApply ? (
            <div className="button-row">
              <ActionButton
                action={() => apiRequest(`${base}/drift-checks`, { method: "POST", schema: kubernetesDriftCheckSchema })}
                onDone={refresh}
                label="Check drift: compare what Rampart applied with the cluster now"
                pendingLabel="Checking…"
                className="button button-small button-secondary"
              >
                Check drift
              </ActionButton>
              {latestDriftCheck && latestDriftCheck.state !== "in-sync" ? (
                <ActionButton
                  action={() => apiRequest(`${base}/reapply`, { method: "POST", schema: reapplyResponseSchema })}
                  onDone={refresh}
                  label="Re-apply what Rampart applied last, taking back fields changed out of band"
                  pendingLabel="Re-applying…"
                  className="button button-small button-danger-outline"
                >
                  Re-apply
                </ActionButton>
              ) : null}
            </div>
          ) : null}
        </div>
        <p className="muted">What Rampart applied last, read back from the cluster: checked on demand and periodically by the portal.</p>
        {latestDriftCheck ? <DriftView check={latestDriftCheck} /> : <p className="muted">Not checked yet.</p>}
      </section>
    </>
  );
}

function PlanView({ plan, canManage, applyPath, onApplied }: { plan: KubernetesPlanView; canManage: boolean; applyPath: string; onApplied: () => void }) {
  const { summary } = plan;
  return (
    <div className={styles.section} data-plan={plan.id}>
      <p className={styles.facts}>
        <span>
          Planned <DateTime value={plan.createdAt} /> by {plan.createdBy.name}
        </span>
        <span role="status" aria-label="Plan summary">
          {summary.create} to create, {summary.update} to update, {summary.unchanged} unchanged
        </span>
        <span>
          Rendered set: <code className="mono">{shortHash(plan.renderedHash)}</code>
        </span>
      </p>
      {plan.sources.length > 0 ? (
        <ul className={styles.facts} aria-label="Rendered from">
          {plan.sources.map((s) => (
            <li key={s.applicationId}>
              {s.slug}: baseline {s.baseline.name} v{s.baseline.number}
              {s.applicationVersion ? ` + policy v${s.applicationVersion.number}` : " (no application policy)"}
            </li>
          ))}
        </ul>
      ) : null}
      {plan.excluded.map((e) => (
        <p key={e.applicationId} className="field-error">
          {e.slug} is not delivered: {e.reason}
        </p>
      ))}
      {plan.current === false ? (
        <div className="alert alert-warning" role="alert">
          <p>The published policy has changed since this plan: plan again before applying.</p>
        </div>
      ) : null}
      <DataTable
        label="Planned changes"
        rows={plan.changes.map((c) => ({ ...c, id: `${c.ref.apiVersion}/${c.ref.kind}/${c.ref.namespace ?? ""}/${c.ref.name}` }))}
        empty={<p className="muted">The target renders no resources.</p>}
        columns={[
          { header: "Resource", isRowHeader: true, cell: (c) => <ResourceName resource={c.ref} /> },
          { header: "Change", cell: (c) => <StateLabel state={c.change} /> },
          {
            header: "Diff",
            cell: (c) => (
              <>
                <DiffText text={c.text} summary={c.change === "create" ? "New object" : `${c.changes.length} field(s)`} />
                {c.note ? <p className="muted">{c.note}</p> : null}
              </>
            ),
          },
        ]}
      />
      {plan.notes.some((n) => n.route) ? (
        <ul role="alert" aria-label="HTTPRoutes the policies attach to">
          {plan.notes
            .filter((n) => n.route)
            .map((n, i) => (
              <li key={i}>{n.message}</li>
            ))}
        </ul>
      ) : null}
      {plan.notes.length > 0 ? (
        <details>
          <summary>What the exports cannot express ({plan.notes.length})</summary>
          <ul>
            {plan.notes.map((n, i) => (
              <li key={i}>
                {n.application} ({n.format}): {n.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {canManage && plan.current !== false && summary.create + summary.update > 0 ? (
        <ActionButton
          action={() => apiRequest(applyPath, { method: "POST", schema: kubernetesApplySchema })}
          onDone={onApplied}
          label="Apply this plan to the cluster"
          pendingLabel="Applying…"
          className="button"
        >
          Apply plan
        </ActionButton>
      ) : null}
    </div>
  );
}

function ApplyView({ apply }: { apply: KubernetesApplyView }) {
  return (
    <div className={styles.section} data-apply={apply.id}>
      <p className={styles.facts}>
        <span>
          {apply.kind === "reapply" ? "Re-applied (force)" : "Applied"} <DateTime value={apply.createdAt} /> by {apply.appliedBy.name}
        </span>
        <span>
          Outcome: <StateLabel state={apply.outcome} />
        </span>
      </p>
      <DataTable
        label="Apply results"
        rows={apply.results.map((r) => ({ ...r, id: `${r.ref.apiVersion}/${r.ref.kind}/${r.ref.namespace ?? ""}/${r.ref.name}` }))}
        columns={[
          { header: "Resource", isRowHeader: true, cell: (r) => <ResourceName resource={r.ref} /> },
          { header: "Result", cell: (r) => <StateLabel state={r.outcome} /> },
          {
            header: "Details",
            cell: (r) => (r.error ? <span className="field-error">{r.error.message}</span> : r.resourceVersion ? `resourceVersion ${r.resourceVersion}` : "—"),
          },
        ]}
      />
    </div>
  );
}

function DriftView({ check }: { check: KubernetesDriftCheckView }) {
  return (
    <div className={styles.section} data-drift-check={check.id}>
      <p className={styles.facts}>
        <span>
          Checked <DateTime value={check.createdAt} /> {check.checkedBy ? `by ${check.checkedBy.name}` : "by the periodic check"}
        </span>
        <span>
          State: <StateLabel state={check.state} />
        </span>
      </p>
      {check.error ? <p className="field-error">{check.error}</p> : null}
      <DataTable
        label="Drift per resource"
        rows={check.results.map((r) => ({ ...r, id: `${r.ref.apiVersion}/${r.ref.kind}/${r.ref.namespace ?? ""}/${r.ref.name}` }))}
        columns={[
          { header: "Resource", isRowHeader: true, cell: (r) => <ResourceName resource={r.ref} /> },
          { header: "State", cell: (r) => <StateLabel state={r.state} /> },
          {
            header: "Difference",
            cell: (r) =>
              r.error ? (
                <span className="field-error">{r.error.message}</span>
              ) : (
                <>
                  {r.changedBy.length > 0 ? <p>Changed by {r.changedBy.join(", ")}</p> : null}
                  <DiffText text={r.text} summary={`${r.changes.length} field(s) differ`} />
                </>
              ),
          },
        ]}
      />
    </div>
  );
}
