import Link from "next/link";
import { DataTable, EmptyState } from "@/components/data-table";
import type { ExceptionEntry } from "@/lib/approvals/exception-schemas";

/** The exceptions register: what each exception lets through, why, until when, and where it is written. */
export function ExceptionTable({ entries }: { entries: ExceptionEntry[] }) {
  return (
    <DataTable
      label="Exceptions"
      // Row keys must be unique across policies; the exception's own id is shown.
      rows={entries.map((e) => ({ ...e, id: `${e.policyId}:${e.id}`, exceptionId: e.id }))}
      empty={<EmptyState title="No exceptions match">Exceptions appear here once a policy that carries them is published.</EmptyState>}
      columns={[
        {
          header: "Exception",
          isRowHeader: true,
          cell: (e) => (
            <>
              <span className="mono">{e.exceptionId}</span>
              <div className="muted">{e.application.name}</div>
            </>
          ),
        },
        {
          header: "Rule",
          cell: (e) => <span className="mono">{e.ruleId ?? `${e.family} (whole family)`}</span>,
        },
        { header: "Lets through", className: "hide-narrow", cell: (e) => e.description },
        {
          header: "Why",
          className: "hide-narrow",
          cell: (e) => (
            <>
              {e.justification}
              {e.ticket ? <div className="muted">Ticket {e.ticket}</div> : null}
            </>
          ),
        },
        {
          header: "Expires",
          cellClassName: "nowrap",
          cell: (e) => (
            <>
              {e.expires}
              <div className={e.expired ? "field-error" : e.daysLeft <= 14 ? "muted strong" : "muted"}>
                {e.expired ? "expired" : e.daysLeft === 0 ? "today" : `in ${e.daysLeft} day${e.daysLeft === 1 ? "" : "s"}`}
              </div>
            </>
          ),
        },
        {
          header: "Policy",
          cell: (e) => (
            <Link href={`/policies/${e.policyId}/versions/${e.versionId}`}>
              Version {e.versionNumber}
              <span className="visually-hidden"> of {e.application.slug}</span>
            </Link>
          ),
        },
      ]}
    />
  );
}
