import Link from "next/link";
import { DataTable } from "@/components/data-table";
import { DateTime } from "@/components/date-time";
import { PolicyStateBadge } from "@/components/policies/policy-state-badge";
import type { PolicyVersionState } from "@/lib/policies/policy-schemas";

type Submission = {
  id: string;
  number: number;
  state: PolicyVersionState;
  submissionSummary: string | null;
  reviewNote: string | null;
  updatedAt: string;
  policy: { id: string; name: string; kind: string };
  reviewedBy: { name: string } | null;
};

/** A submitter's changes and where each stands in review, with the reviewer's comment. */
export function OwnSubmissions({ rows }: { rows: Submission[] }) {
  return (
    <DataTable
      label="Your changes in review"
      rows={rows}
      empty={<p className="muted">You have no changes in review.</p>}
      columns={[
        {
          header: "Change",
          isRowHeader: true,
          cell: (row) => (
            <Link href={`/policies/${row.policy.id}/versions/${row.id}`}>
              {row.policy.kind === "baseline" ? `Baseline ${row.policy.name}` : row.policy.name} · version {row.number}
            </Link>
          ),
        },
        { header: "State", cell: (row) => (row.state === "draft" ? "Changes requested" : <PolicyStateBadge state={row.state} />) },
        { header: "Why", cell: (row) => row.submissionSummary ?? "—" },
        { header: "Reviewer's comment", cell: (row) => (row.reviewNote ? `${row.reviewNote}${row.reviewedBy ? ` (${row.reviewedBy.name})` : ""}` : "—") },
        { header: "Updated", cell: (row) => <DateTime value={row.updatedAt} /> },
      ]}
    />
  );
}
