import Link from "next/link";
import { ACTIONS_HEADER, DataTable } from "@/components/data-table";
import { DateTime } from "@/components/date-time";
import { RollbackVersionButton } from "@/components/delivery/rollback-version-button";
import type { PolicyDetailView } from "@/lib/policies/policy-schemas";
import { PolicyStateBadge } from "./policy-state-badge";
import { StartDraftButton } from "./start-draft-button";

/** Every version of a policy, newest first, with what can be done with each. */
export function VersionHistory({ policy }: { policy: PolicyDetailView }) {
  // Restoring creates a draft, and a policy has at most one open draft.
  const canRestore = policy.abilities.edit && policy.draft === null;
  return (
    <DataTable
      caption="Version history"
      rows={policy.versions}
      columns={[
        {
          header: "Version",
          isRowHeader: true,
          cell: (version) => (
            <>
              <Link href={`/policies/${policy.id}/versions/${version.id}`} className="strong-link nowrap">
                Version {version.number}
              </Link>
              {version.parentNumber !== null && version.parentNumber !== version.number - 1 ? (
                <div className="muted">from version {version.parentNumber}</div>
              ) : null}
            </>
          ),
        },
        {
          header: "State",
          cell: (version) => (
            <>
              <PolicyStateBadge state={version.state} />
              {version.reviewNote ? <div className="muted">“{version.reviewNote}”</div> : null}
            </>
          ),
        },
        {
          header: "Author",
          cell: (version) => {
            const editors = version.editors.filter((e) => e.id !== version.author.id);
            return (
              <>
                {version.author.name}
                {editors.length > 0 ? <div className="muted">edited by {editors.map((e) => e.name).join(", ")}</div> : null}
              </>
            );
          },
        },
        { header: "Created", cell: (version) => <DateTime value={version.createdAt} /> },
        { header: "Note", cell: (version) => version.note || <span className="muted">—</span> },
        {
          header: ACTIONS_HEADER,
          cell: (version) => (
            <div className="button-row">
              {version.parentId ? (
                <Link href={`/policies/${policy.id}/diff?from=${version.parentId}&to=${version.id}`} className="button button-secondary button-small">
                  Compare<span className="visually-hidden"> version {version.number}</span> with version {version.parentNumber}
                </Link>
              ) : null}
              <a href={`/api/v1/policies/${policy.id}/versions/${version.id}/export`} className="button button-secondary button-small" download>
                YAML<span className="visually-hidden"> of version {version.number}</span>
              </a>
              {policy.abilities.publish && version.state === "superseded" ? (
                <RollbackVersionButton policyId={policy.id} policyVersion={policy.version} version={{ id: version.id, number: version.number }} />
              ) : null}
              {canRestore && version.id !== policy.latestVersion?.id ? (
                <StartDraftButton
                  policyId={policy.id}
                  fromVersion={{ id: version.id, number: version.number }}
                  label={`Restore version ${version.number}`}
                  secondary
                />
              ) : null}
            </div>
          ),
        },
      ]}
    />
  );
}
