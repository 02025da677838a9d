import Link from "next/link";
import { DataTable, EmptyState } from "@/components/data-table";
import { DateTime } from "@/components/date-time";
import { auditActionLabel } from "@/lib/audit/audit-action-labels";

export type AuditEventRow = {
  id: string;
  actorLabel: string;
  action: string;
  outcome: string;
  targetType: string;
  targetId: string | null;
  summary: unknown;
  ip: string | null;
  createdAt: string | Date;
};

const TARGET_PAGES: Record<string, string> = { application: "/applications", team: "/teams" };

function Target({ type, id }: { type: string; id: string | null }) {
  if (!id) return <span>{type}</span>;
  const base = TARGET_PAGES[type];
  const short = id.length > 13 ? `${id.slice(0, 8)}…` : id;
  return (
    <span>
      {type}{" "}
      {base ? (
        <Link href={`${base}/${id}`} className="mono" title={id}>
          {short}
        </Link>
      ) : (
        <span className="mono" title={id}>
          {short}
        </span>
      )}
    </span>
  );
}

function hasSummary(summary: unknown): boolean {
  return typeof summary === "object" && summary !== null && Object.keys(summary).length > 0;
}

export function AuditTable({ events }: { events: AuditEventRow[] }) {
  return (
    <DataTable
      label="Audit events"
      className="audit-table"
      rows={events}
      empty={<EmptyState title="No audit events match">Try a wider time range or fewer filters.</EmptyState>}
      columns={[
        { header: "Time", cellClassName: "nowrap", cell: (e) => <DateTime value={e.createdAt} /> },
        { header: "Actor", cell: (e) => e.actorLabel },
        {
          header: "Action",
          cell: (e) => (
            <>
              {auditActionLabel(e.action)}
              <div className="muted mono small">{e.action}</div>
            </>
          ),
        },
        { header: "Outcome", cell: (e) => <span className={`badge badge-outcome-${e.outcome}`}>{e.outcome}</span> },
        { header: "Target", cell: (e) => <Target type={e.targetType} id={e.targetId} /> },
        { header: "IP", cellClassName: "mono", cell: (e) => e.ip ?? "—" },
        {
          header: "Details",
          cell: (e) =>
            hasSummary(e.summary) ? (
              <details className="audit-summary">
                <summary>Show</summary>
                <pre>{JSON.stringify(e.summary, null, 2)}</pre>
              </details>
            ) : (
              <span className="muted">—</span>
            ),
        },
      ]}
    />
  );
}
