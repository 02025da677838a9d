import type { Metadata } from "next";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { PageHeader } from "@/components/page-header";
import { Pagination } from "@/components/pagination";
import { grantOf } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/next/current-actor";
import { listAuditEventsQuery, type ListAuditEventsQuery } from "@/lib/audit/audit-schemas";
import { findAuditEvents } from "@/lib/audit/find-audit-events";
import { parseSearchParams, withUtcMinutes, type RawSearchParams } from "@/lib/query/search-params";

export const metadata: Metadata = { title: "Audit log" };

const QUERY_KEYS = ["page", "pageSize", "q", "actor", "action", "targetType", "targetId", "outcome", "from", "to"] as const;

export default async function AuditPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const actor = await requirePagePermission("audit:read");
  const { query, errors } = parseSearchParams(listAuditEventsQuery, withUtcMinutes(await searchParams), QUERY_KEYS);
  const events = await findAuditEvents({ actor, query });
  const orgWide = grantOf(actor.grants, "audit:read").org;

  return (
    <>
      <PageHeader
        title="Audit log"
        description={
          orgWide
            ? "Every change, sign-in and refused attempt in the organisation, newest first."
            : "Changes to your teams' applications and memberships, newest first."
        }
      />
      <AuditFilters query={query} invalid={errors} />
      <p className="button-row">
        {/* The same filters, as the export endpoint takes them (it has no pages). */}
        <a className="button button-secondary" href={`/api/v1/audit-events/export?${exportParams(query)}`} download>
          Download CSV
        </a>
      </p>
      <AuditTable events={events.items} />
      <Pagination
        page={events.page}
        pageSize={events.pageSize}
        total={events.total}
        basePath="/audit"
        params={{
          pageSize: query.pageSize === 20 ? undefined : query.pageSize,
          q: query.q,
          actor: query.actor,
          action: query.action,
          targetType: query.targetType,
          targetId: query.targetId,
          outcome: query.outcome,
          from: query.from,
          to: query.to,
        }}
        label="Audit log pages"
      />
    </>
  );
}

function exportParams(query: ListAuditEventsQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ["q", "actor", "action", "targetType", "targetId", "outcome", "from", "to"] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  return params;
}
