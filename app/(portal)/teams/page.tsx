import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Pagination } from "@/components/pagination";
import { SearchForm } from "@/components/search-form";
import { can } from "@/lib/auth/actor";
import { requirePagePermission } from "@/lib/auth/current-actor";
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
      {teams.items.length === 0 ? (
        <div className="panel empty-state">
          <h2>No teams found</h2>
          <p>{query.q ? "Try another search." : "No teams exist yet."}</p>
        </div>
      ) : (
        <div className="table-wrap" role="region" aria-label="Teams" tabIndex={0}>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Description</th>
                <th scope="col" className="numeric">
                  Members
                </th>
                <th scope="col" className="numeric">
                  Applications
                </th>
              </tr>
            </thead>
            <tbody>
              {teams.items.map((team) => (
                <tr key={team.id}>
                  <td>
                    <Link href={`/teams/${team.id}`} className="strong-link">
                      {team.name}
                    </Link>
                    <div className="muted mono">{team.slug}</div>
                  </td>
                  <td>{team.description || <span className="muted">—</span>}</td>
                  <td className="numeric">{team.memberCount}</td>
                  <td className="numeric">{team.applicationCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={teams.page} pageSize={teams.pageSize} total={teams.total} basePath="/teams" params={{ q: query.q }} label="Team pages" />
    </>
  );
}
