import Link from "next/link";
import { DateTime } from "@/components/date-time";

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
    <div className="table-wrap" role="region" aria-label="Audit events" tabIndex={0}>
      <table className="data-table audit-table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Outcome</th>
            <th scope="col">Target</th>
            <th scope="col">IP</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td className="nowrap">
                <DateTime value={e.createdAt} />
              </td>
              <td>{e.actorLabel}</td>
              <td className="mono">{e.action}</td>
              <td>
                <span className={`badge badge-outcome-${e.outcome}`}>{e.outcome}</span>
              </td>
              <td>
                <Target type={e.targetType} id={e.targetId} />
              </td>
              <td className="mono">{e.ip ?? "—"}</td>
              <td>
                {hasSummary(e.summary) ? (
                  <details className="audit-summary">
                    <summary>Show</summary>
                    <pre>{JSON.stringify(e.summary, null, 2)}</pre>
                  </details>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
