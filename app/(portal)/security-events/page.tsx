import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "@/components/data-table";
import { PageHeader } from "@/components/page-header";
import { BlocksChart } from "@/components/security-events/blocks-chart";
import { SecurityEventFilters } from "@/components/security-events/security-event-filters";
import { teamScope } from "@/lib/auth/actor";
import { requirePagePermission } from "@/lib/next/current-actor";
import { db } from "@/lib/db/client";
import { parseSearchParams, withUtcMinutes, type RawSearchParams } from "@/lib/query/search-params";
import { findSecurityEvents } from "@/lib/security-events/find-security-events";
import { listSecurityEventsQuery, type ListSecurityEventsQuery } from "@/lib/security-events/security-event-schemas";
import { findLogOnlySuggestions, QUIET_PERIOD_DAYS } from "@/lib/security-events/find-log-only-suggestions";
import { summariseSecurityEvents } from "@/lib/security-events/summarise-security-events";

export const metadata: Metadata = { title: "Security events" };

const QUERY_KEYS = ["applicationId", "family", "ruleId", "action", "path", "clientIp", "from", "to", "cursor", "limit"] as const;

export default async function SecurityEventsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const actor = await requirePagePermission("security-events:read");
  const { query, errors } = parseSearchParams(listSecurityEventsQuery, withUtcMinutes(await searchParams), QUERY_KEYS);
  const filters = {
    applicationId: query.applicationId,
    family: query.family,
    ruleId: query.ruleId,
    action: query.action,
    path: query.path,
    clientIp: query.clientIp,
    from: query.from,
    to: query.to,
  };
  const [events, summary, applications, suggestions] = await Promise.all([
    findSecurityEvents({ actor, query }),
    summariseSecurityEvents({ actor, query: filters }),
    db.application.findMany({
      where: { ...teamScope(actor, "security-events:read"), archivedAt: null },
      select: { id: true, name: true },
      orderBy: { name: "asc" },
    }),
    findLogOnlySuggestions({ teamIds: teamScope(actor, "security-events:read").teamId?.in ?? null }),
  ]);
  const params = filterParams(query);
  const logged = summary.series.some((p) => p.action === "logged");

  return (
    <>
      <PageHeader
        title="Security events"
        description="What the connected proxies blocked or logged. Counts and the chart are exact; the list holds the first events per rule, path and client of each minute."
      />
      <SecurityEventFilters query={query} invalid={errors} applications={applications} />
      {suggestions.length > 0 ? (
        <section className="panel" aria-labelledby="suggestions-heading">
          <h2 id="suggestions-heading">Ready to block?</h2>
          <ul className="plain-list">
            {suggestions.map((s) => (
              <li key={`${s.applicationId}:${s.family}`}>
                {s.name}: <strong>{s.family}</strong> has only logged for {QUIET_PERIOD_DAYS} days ({s.logged.toLocaleString("en")} findings) and none was
                marked a false positive. It would have blocked {s.evidence.events.toLocaleString("en")} stored events from{" "}
                {s.evidence.clients.toLocaleString("en")} clients
                {s.evidence.topRules[0] ? (
                  <>
                    , mostly <code>{s.evidence.topRules[0].ruleId}</code>
                  </>
                ) : null}
                {s.evidence.topPaths[0] ? (
                  <>
                    {" "}
                    on <code>{s.evidence.topPaths[0].path}</code>
                  </>
                ) : null}
                . Switching it to <code>block</code> is a change to the application&apos;s policy, reviewed like any other
                {s.policyId ? (
                  <>
                    : <Link href={`/policies/${s.policyId}`}>open the policy</Link>
                  </>
                ) : null}
                .{" "}
                <Link href={`/security-events?${new URLSearchParams({ applicationId: s.applicationId, family: s.family, action: "logged" })}`}>
                  See what it would have blocked
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="panel" aria-labelledby="chart-heading">
        <h2 id="chart-heading">
          Blocked requests by family · {summary.totals.blocked.toLocaleString("en")} blocked, {summary.totals.logged.toLocaleString("en")} logged
        </h2>
        <p className="muted">
          {summary.from.slice(0, 16).replace("T", " ")} – {summary.to.slice(0, 16).replace("T", " ")} UTC, per {summary.bucket}
          {summary.seriesSource === "events" ? " (from the stored samples: counters do not carry paths or clients)" : ""}
          {summary.dropped > 0 ? ` · ${summary.dropped.toLocaleString("en")} events dropped by proxies (queue full or too old)` : ""}
        </p>
        <BlocksChart series={summary.series} bucket={summary.bucket} />
        {logged ? (
          <>
            <h3>Log-only evidence: what would have been blocked</h3>
            <BlocksChart series={summary.series} bucket={summary.bucket} action="logged" />
          </>
        ) : null}
      </section>
      <div className="top-lists">
        <section className="panel" aria-labelledby="top-rules">
          <h2 id="top-rules">Top rules</h2>
          <ol>
            {summary.topRules.map((r) => (
              <li key={r.ruleId}>
                <Link href={`/security-events?${new URLSearchParams({ ...params, ruleId: r.ruleId })}`}>{r.ruleId}</Link> · {r.count.toLocaleString("en")}
              </li>
            ))}
          </ol>
        </section>
        <section className="panel" aria-labelledby="top-paths">
          <h2 id="top-paths">Top paths</h2>
          {summary.topSampleRate < 1 ? (
            <p className="muted">Estimated from a sample of {formatShare(summary.topSampleRate)} of the window&apos;s events.</p>
          ) : null}
          <ol>
            {summary.topPaths.map((p) => (
              <li key={p.path}>
                <Link href={`/security-events?${new URLSearchParams({ ...params, path: p.path })}`}>{p.path}</Link> · {approximateCount(p)}
              </li>
            ))}
          </ol>
        </section>
        <section className="panel" aria-labelledby="top-clients">
          <h2 id="top-clients">Top client IPs</h2>
          <ol>
            {summary.topClients.map((c) => (
              <li key={c.clientIp}>
                <Link href={`/security-events?${new URLSearchParams({ ...params, clientIp: c.clientIp })}`}>{c.clientIp}</Link> · {approximateCount(c)}
              </li>
            ))}
          </ol>
        </section>
      </div>
      <p className="button-row">
        <a className="button button-secondary" href={`/api/v1/security-events/export?${new URLSearchParams(params)}`} download>
          Download NDJSON
        </a>
      </p>
      <DataTable
        label="Security events"
        rows={events.items}
        empty={<p className="muted">No security events match. Connected proxies send them within seconds of a block.</p>}
        columns={[
          {
            header: "Time (UTC)",
            cell: (e) => <Link href={`/security-events/${e.id}`}>{new Date(e.occurredAt).toISOString().slice(0, 19).replace("T", " ")}</Link>,
            isRowHeader: true,
          },
          { header: "Application", cell: (e) => e.application?.name ?? "—" },
          { header: "Action", cell: (e) => e.action },
          { header: "Rule", cell: (e) => e.ruleId, cellClassName: "mono" },
          { header: "Request", cell: (e) => `${e.method} ${e.path}`, cellClassName: "mono" },
          { header: "Part", cell: (e) => (e.parameter ? `${e.part} ${e.parameter}` : e.part) },
          { header: "Client", cell: (e) => e.clientIp, cellClassName: "mono" },
        ]}
      />
      {events.nextCursor ? (
        <p className="button-row">
          <Link className="button button-secondary" href={`/security-events?${new URLSearchParams({ ...params, cursor: events.nextCursor })}`}>
            Older events
          </Link>
        </p>
      ) : null}
    </>
  );
}

function filterParams(query: ListSecurityEventsQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ["applicationId", "family", "ruleId", "action", "path", "clientIp", "from", "to"] as const) {
    const value = query[key];
    if (value) out[key] = value;
  }
  return out;
}

/** An estimated count (a sampled summary) reads "≈ n ± m"; an exact one is just the number. */
function approximateCount(item: { count: number; margin: number }): string {
  const count = item.count.toLocaleString("en");
  return item.margin > 0 ? `≈ ${count} ± ${item.margin.toLocaleString("en")}` : count;
}

function formatShare(rate: number): string {
  return rate >= 0.01 ? `${Math.round(rate * 100)}%` : `${(rate * 100).toPrecision(2)}%`;
}
