"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ListApplicationsQuery } from "@/lib/applications/application-schemas";
import { applicationListQuery } from "@/lib/query/application-queries";
import { Pagination } from "@/components/pagination";
import { ApplicationStatusBadge, ExposureBadge } from "./exposure-badge";

export function ApplicationsList({ query, canCreate }: { query: ListApplicationsQuery; canCreate: boolean }) {
  const { data, error, isPending, isFetching } = useQuery(applicationListQuery(query));

  if (isPending) return <p role="status">Loading applications…</p>;
  if (error) {
    return (
      <div className="alert alert-error" role="alert">
        <p>The applications could not be loaded: {error.message}</p>
      </div>
    );
  }

  const filtered = Boolean(query.q || query.teamId || query.exposure || query.archived !== "false");
  if (data.items.length === 0) {
    return (
      <div className="panel empty-state">
        <h2>{filtered ? "No applications match these filters" : "No applications yet"}</h2>
        <p>
          {filtered
            ? "Try a broader search, or clear the filters."
            : canCreate
              ? "Register your team's first application to start protecting it."
              : "Applications your teams own will appear here once a project lead registers them."}
        </p>
        {!filtered && canCreate ? (
          <p>
            <Link href="/applications/new" className="button">
              New application
            </Link>
          </p>
        ) : null}
      </div>
    );
  }

  return (
    <section aria-labelledby="applications-heading" aria-busy={isFetching}>
      <h2 id="applications-heading" className="visually-hidden">
        Application list
      </h2>
      <div className="table-wrap" role="region" aria-labelledby="applications-heading" tabIndex={0}>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Application</th>
              <th scope="col">Team</th>
              <th scope="col">Exposure</th>
              <th scope="col" className="hide-narrow">
                Upstream
              </th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((app) => (
              <tr key={app.id}>
                <td>
                  <Link href={`/applications/${app.id}`} className="strong-link">
                    {app.name}
                  </Link>
                  <div className="muted mono">{app.slug}</div>
                </td>
                <td>{app.team.name}</td>
                <td>
                  <ExposureBadge exposure={app.exposure} />
                </td>
                <td className="mono break hide-narrow">{app.upstreamUrl}</td>
                <td>
                  <ApplicationStatusBadge archivedAt={app.archivedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination
        page={data.page}
        pageSize={data.pageSize}
        total={data.total}
        basePath="/applications"
        params={{ pageSize: query.pageSize === 20 ? undefined : query.pageSize, q: query.q, teamId: query.teamId, exposure: query.exposure, archived: query.archived === "false" ? undefined : query.archived }}
        label="Application pages"
      />
    </section>
  );
}
