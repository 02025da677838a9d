"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { DataTable } from "@/components/data-table";
import { RolloutStateBadge } from "@/components/delivery/rollout-state-badge";
import type { DeliveryTargetView, RolloutState, RolloutView } from "@/lib/delivery/delivery-schemas";
import { deliveryRolloutQuery } from "@/lib/query/delivery-queries";

type RolloutTarget = RolloutView["targets"][number];

const KIND_LABELS: Record<DeliveryTargetView["kind"], string> = {
  proxy: "Proxy",
  kubernetes: "Kubernetes cluster",
  git: "Git repository",
};

/**
 * Where the version in force goes: the delivery targets of this application (a baseline:
 * every target the reader sees). Clusters and repositories link to their delivery page —
 * a manager's link starts a plan there, so the dry-run diff of what was just published is
 * the first thing shown; proxies show their rollout, refreshed while the page is open.
 */
export function PolicyDeliverySection({
  targets,
  applicationId,
  canManage,
}: {
  targets: Pick<DeliveryTargetView, "id" | "kind" | "name" | "mode" | "namespaces" | "branch">[];
  /** null: a baseline, delivered with every application. */
  applicationId: string | null;
  canManage: boolean;
}) {
  const hasProxies = targets.some((t) => t.kind === "proxy");
  // Only proxies report a rollout; the view is hydrated by the page when there are any.
  const rollout = useQuery({ ...deliveryRolloutQuery(), enabled: hasProxies });
  const rolloutOf = new Map((rollout.data?.targets ?? []).map((t) => [t.id, t]));

  return (
    <section className="panel" aria-labelledby="policy-delivery-heading">
      <h2 id="policy-delivery-heading">Delivery</h2>
      <p className="muted">
        {applicationId ? "The targets that deliver this application's policy" : "The targets that deliver this baseline (with every application they serve)"}:
        proxies receive the version in force on their own; clusters and repositories are planned and applied by the security team.
      </p>
      {rollout.error ? <p className="field-error">The rollout could not be loaded: {rollout.error.message}</p> : null}
      <DataTable
        label="Delivery targets"
        rows={targets}
        empty={<p className="muted">No delivery target delivers {applicationId ? "this application" : "any application"} yet.</p>}
        columns={[
          { header: "Target", isRowHeader: true, cell: (t) => t.name },
          {
            header: "Kind",
            cell: (t) =>
              t.kind === "proxy"
                ? `${KIND_LABELS.proxy}${t.mode ? ` · ${t.mode}` : ""}`
                : t.kind === "kubernetes"
                  ? `${KIND_LABELS.kubernetes} · ${t.namespaces.join(", ")}`
                  : `${KIND_LABELS.git} · ${t.branch ?? ""}`,
          },
          {
            header: "Delivery",
            cell: (t) =>
              t.kind === "proxy" ? (
                <ProxyRollout target={rolloutOf.get(t.id) ?? null} applicationId={applicationId} loading={hasProxies && rollout.isPending} />
              ) : (
                <TargetLink target={t} canManage={canManage} />
              ),
          },
        ]}
      />
    </section>
  );
}

function TargetLink({ target, canManage }: { target: { id: string; kind: DeliveryTargetView["kind"]; name: string }; canManage: boolean }) {
  const page = `/delivery/targets/${encodeURIComponent(target.id)}/kubernetes`;
  if (target.kind === "git") return <Link href={page}>GitOps export to {target.name}</Link>;
  // ?plan=1 makes the target page start a plan (a server-side dry run, nothing applied).
  return canManage ? <Link href={`${page}?plan=1`}>Plan delivery to {target.name}</Link> : <Link href={page}>Delivery to {target.name}</Link>;
}

/** A proxy target's rollout of this application (or, for a baseline, of the whole target). */
function ProxyRollout({ target, applicationId, loading }: { target: RolloutTarget | null; applicationId: string | null; loading: boolean }) {
  if (!target) return loading ? <span role="status">Loading the rollout…</span> : <span className="muted">No rollout reported</span>;
  const entry = applicationId ? target.applications.find((a) => a.applicationId === applicationId) : null;
  if (!applicationId || !entry) return <RolloutStateBadge state={target.state} />;
  if (!entry.desired) return <span className="field-error">Not delivered: {entry.excludedReason ?? "nothing is published for it"}</span>;
  // The target-wide states that say no proxy runs anything now win over the application's count.
  if (["revoked", "never-connected", "stale"].includes(target.state)) return <RolloutStateBadge state={target.state} />;
  const state: RolloutState =
    entry.instancesLive > 0 && entry.instancesInSync === entry.instancesLive ? "in-sync" : target.state === "failing" ? "failing" : "rolling-out";
  return (
    <span>
      <RolloutStateBadge state={state} />{" "}
      <span className="muted">
        {entry.instancesInSync} of {entry.instancesLive} live instance(s) run it
      </span>
    </span>
  );
}
