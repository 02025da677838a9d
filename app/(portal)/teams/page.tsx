import type { Metadata } from "next";
import Link from "next/link";
import { DataTable, EmptyState } from "@/components/data-table";
import { PageHeader } from "@/components/page-header";
import { Pagination } from "@/components/pagination";
import { SearchForm } from "@/components/search-form";
import { can } from "@/lib/auth/actor";
import { requirePagePermission } from "@/lib/next/current-actor";
import { parseSearchParams, type RawSearchParams } from "@/lib/query/search-params";
import { findTeams } from "@/lib/teams/find-teams";
import { listTeamsQuery } from "@/lib/teams/team-schemas";

export const metadata: Metadata = { title: "Teams" };

export default async function TeamsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const actor = await requirePagePermission("teams:read");
  const { query } = parseSearchParams(listTeamsQuery, await searchParams, ["page", "pageSize", "q"]);
  const teams = await findTeams({ actor, query });
  const canManage = can(actor, "teams:manage");

  return (
    <>
      <PageHeader
        title="Teams"
        description={canManage ? "Teams own applications. Their members' roles decide what each person may do." : "The teams you can see."}
        actions={
          canManage ? (
            <Link href="/teams/new" className="button">
              New team
            </Link>
          ) : null
        }
      />
      <SearchForm action="/teams" label="Search teams" q={query.q} placeholder="Name or slug" />
      <DataTable
        label="Teams"
        rows={teams.items}
        empty={<EmptyState title="No teams found">{query.q ? "Try another search." : "No teams exist yet."}</EmptyState>}
        columns={[
          {
            header: "Team",
            cell: (team) => (
              <>
                <Link href={`/teams/${team.id}`} className="strong-link">
                  {team.name}
                </Link>
                <div className="muted mono">{team.slug}</div>
              </>
            ),
          },
          { header: "Description", cell: (team) => team.description || <span className="muted">—</span> },
          { header: "Members", className: "numeric", cell: (team) => team.memberCount },
          { header: "Applications", className: "numeric", cell: (team) => team.applicationCount },
        ]}
      />
      <Pagination page={teams.page} pageSize={teams.pageSize} total={teams.total} basePath="/teams" params={{ q: query.q }} label="Team pages" />
    </>
  );
}
