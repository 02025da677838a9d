import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "@/components/data-table";
import { DateTime } from "@/components/date-time";
import { PageHeader } from "@/components/page-header";
import { Pagination } from "@/components/pagination";
import { DecisionStatusBadge } from "@/components/architecture/decision-status-badge";
import { ArchitectureCards } from "@/components/architecture/result-sections";
import { REQUIRED_FACTORS } from "@/lib/architecture/answers-schema";
import { listDecisionsQuery } from "@/lib/architecture/architecture-schemas";
import { findArchitectureDecisions } from "@/lib/architecture/find-architecture-decisions";
import { findArchitectureDrafts } from "@/lib/architecture/find-architecture-drafts";
import { can } from "@/lib/auth/actor";
import { requireSignedIn } from "@/lib/next/current-actor";
import { parseSearchParams, type RawSearchParams } from "@/lib/query/search-params";

export const metadata: Metadata = { title: "Architecture" };

export default async function ArchitecturePage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const actor = await requireSignedIn();
  const { query } = parseSearchParams(listDecisionsQuery, await searchParams, ["page", "status"]);
  const [drafts, decisions] = await Promise.all([
    findArchitectureDrafts({ actor }),
    can(actor, "architecture:read") ? findArchitectureDecisions({ actor, query }) : null,
  ]);

  return (
    <>
      <PageHeader
        title="Architecture"
        description="Gateway, microgateways, or both: how your applications are protected, why, and who maintains which policy as a result."
        actions={
          <Link className="button" href="/architecture/questionnaire">
            Start the questionnaire
          </Link>
        }
      />

      {drafts.items.length > 0 ? (
        <section className="panel" aria-labelledby="drafts-heading">
          <h2 id="drafts-heading">Your unfinished questionnaires</h2>
          <ul className="plain-list">
            {drafts.items.map((d) => (
              <li key={d.id}>
                <Link href={`/architecture/questionnaire?draft=${d.id}`}>Resume the questionnaire</Link> —{" "}
                {REQUIRED_FACTORS.filter((f) => d.answers[f] !== undefined).length} of {REQUIRED_FACTORS.length} required questions answered, last changed{" "}
                <DateTime value={d.updatedAt} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {decisions ? (
        <section className="panel" aria-labelledby="decisions-heading">
          <h2 id="decisions-heading">Decision records</h2>
          <DataTable
            labelledBy="decisions-heading"
            rows={decisions.items}
            empty={<p className="empty-state">No decisions recorded yet. Answer the questionnaire, then save the result for your applications.</p>}
            columns={[
              {
                header: "Record",
                cell: (d) => (
                  <Link className="strong-link" href={`/architecture/decisions/${d.id}`}>
                    {d.reference}: {d.title}
                  </Link>
                ),
              },
              { header: "Architecture", cell: (d) => d.architecture },
              { header: "Status", cell: (d) => <DecisionStatusBadge status={d.status} /> },
              { header: "For", cell: (d) => (d.applications.length === 0 ? `Team ${d.team.name}` : d.applications.map((a) => a.name).join(", ")) },
              { header: "Proposed", cell: (d) => <DateTime value={d.createdAt} /> },
            ]}
          />
          <Pagination
            page={decisions.page}
            pageSize={decisions.pageSize}
            total={decisions.total}
            basePath="/architecture"
            params={{ status: query.status }}
            label="Decision record pages"
          />
        </section>
      ) : null}

      <section aria-labelledby="architectures-heading">
        <h2 id="architectures-heading" className="section-heading">
          The three architectures
        </h2>
        <ArchitectureCards />
      </section>
    </>
  );
}
