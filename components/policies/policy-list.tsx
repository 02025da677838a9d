import Link from "next/link";
import { ExposureBadge } from "@/components/applications/exposure-badge";
import { DataTable } from "@/components/data-table";
import { DateTime } from "@/components/date-time";
import type { PolicyView } from "@/lib/policies/policy-schemas";
import { PolicyStateBadge } from "./policy-state-badge";

/** Baselines or application policies, as a table: what is in force, and what is in the works. */
export function PolicyList({ policies, kind, caption }: { policies: PolicyView[]; kind: "baseline" | "application"; caption: string }) {
  return (
    <DataTable
      caption={caption}
      rows={policies}
      empty={
        <p className="muted">
          {kind === "baseline" ? "No baseline yet: until one is published, no application has an effective policy." : "No application policies yet."}
        </p>
      }
      columns={[
        {
          header: kind === "baseline" ? "Baseline" : "Application",
          isRowHeader: true,
          cell: (policy) => (
            <>
              <Link href={`/policies/${policy.id}`} className="strong-link">
                {policy.application?.name ?? policy.name}
              </Link>
              {policy.application ? <div className="muted mono">{policy.application.slug}</div> : null}
            </>
          ),
        },
        {
          header: kind === "baseline" ? "Applies to" : "Exposure",
          cell: (policy) =>
            policy.application ? (
              <ExposureBadge exposure={policy.application.exposure} />
            ) : policy.environment ? (
              `${policy.environment} only`
            ) : (
              "Every environment"
            ),
        },
        {
          header: "In force",
          cell: (policy) => (policy.publishedVersion ? `Version ${policy.publishedVersion.number}` : <span className="muted">Nothing published</span>),
        },
        {
          header: "Latest",
          cell: (policy) =>
            policy.latestVersion ? (
              <>
                <span className="nowrap">Version {policy.latestVersion.number}</span> <PolicyStateBadge state={policy.latestVersion.state} />
              </>
            ) : null,
        },
        { header: "Changed", cell: (policy) => <DateTime value={policy.updatedAt} /> },
      ]}
    />
  );
}
