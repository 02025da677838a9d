"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ListApplicationsQuery } from "@/lib/applications/application-schemas";
import { applicationListQuery } from "@/lib/query/application-queries";
import { DataTable, EmptyState } from "@/components/data-table";
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
      <EmptyState
        title={filtered ? "No applications match these filters" : "No applications yet"}
        action={
          !filtered && canCreate ? (
            <Link href="/applications/new" className="button">
              New application
            </Link>
          ) : null
        }
      >
        {filtered
          ? "Try a broader search, or clear the filters."
          : canCreate
            ? "Register your team's first application to start protecting it."
            : "Applications your teams own will appear here once a project lead registers them."}
      </EmptyState>
    );
  }

  return (
    <section aria-labelledby="applications-heading" aria-busy={isFetching}>
      <h2 id="applications-heading" className="visually-hidden">
        Application list
      </h2>
      <DataTable
        labelledBy="applications-heading"
        rows={data.items}
        columns={[
          {
            header: "Application",
            cell: (app) => (
              <>
                <Link href={`/applications/${app.id}`} className="strong-link">
                  {app.name}
                </Link>
                <div className="muted mono">{app.slug}</div>
              </>
            ),
          },
          { header: "Team", cell: (app) => app.team.name },
          { header: "Exposure", cell: (app) => <ExposureBadge exposure={app.exposure} /> },
          { header: "Upstream", className: "hide-narrow", cellClassName: "mono break", cell: (app) => app.upstreamUrl },
          { header: "Status", cell: (app) => <ApplicationStatusBadge archivedAt={app.archivedAt} /> },
        ]}
      />
      <Pagination
        page={data.page}
        pageSize={data.pageSize}
        total={data.total}
        basePath="/applications"
        params={{
          pageSize: query.pageSize === 20 ? undefined : query.pageSize,
          q: query.q,
          teamId: query.teamId,
          exposure: query.exposure,
          archived: query.archived === "false" ? undefined : query.archived,
        }}
        label="Application pages"
      />
    </section>
  );
}
