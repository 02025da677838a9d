"use client";
import { useQuery } from "@tanstack/react-query";
import { applicationDetailQuery } from "@/lib/query/application-queries";
import { DateTime } from "@/components/date-time";
import { PageHeader } from "@/components/page-header";
import { ArchiveApplication } from "./archive-application";
import { EditApplicationForm } from "./edit-application-form";
import { ApplicationStatusBadge, ExposureBadge } from "./exposure-badge";

export function ApplicationDetail({ id, canUpdate, canArchive }: { id: string; canUpdate: boolean; canArchive: boolean }) {
  // Hydrated from the server render; refetched after edits and on "Reload".
  const { data: app, error } = useQuery(applicationDetailQuery(id));
  if (!app) {
    return error ? (
      <div className="alert alert-error" role="alert">
        <p>The application could not be loaded: {error.message}</p>
      </div>
    ) : (
      <p role="status">Loading application…</p>
    );
  }
  const archived = app.archivedAt !== null;
  return (
    <>
      <PageHeader
        title={app.name}
        description={
          <>
            <ExposureBadge exposure={app.exposure} /> <ApplicationStatusBadge archivedAt={app.archivedAt} />
          </>
        }
        back={{ href: "/applications", label: "Applications" }}
      />
      <section className="panel" aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <dl className="details">
          <div>
            <dt>Slug</dt>
            <dd className="mono">{app.slug}</dd>
          </div>
          <div>
            <dt>Team</dt>
            <dd>{app.team.name}</dd>
          </div>
          <div>
            <dt>Upstream URL</dt>
            <dd className="mono break">{app.upstreamUrl}</dd>
          </div>
          <div>
            <dt>Description</dt>
            <dd>{app.description || <span className="muted">No description</span>}</dd>
          </div>
          <div>
            <dt>Version</dt>
            <dd data-testid="application-version">{app.version}</dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>
              <DateTime value={app.createdAt} />
            </dd>
          </div>
          <div>
            <dt>Last changed</dt>
            <dd>
              <DateTime value={app.updatedAt} />
            </dd>
          </div>
          {archived ? (
            <div>
              <dt>Archived</dt>
              <dd>
                <DateTime value={app.archivedAt} />
              </dd>
            </div>
          ) : null}
        </dl>
      </section>
      {archived ? (
        <p className="alert alert-info" role="status">
          This application is archived. It is kept for its history and can no longer be edited.
        </p>
      ) : null}
      {canUpdate && !archived ? <EditApplicationForm application={app} /> : null}
      {canArchive && !archived ? <ArchiveApplication application={app} /> : null}
    </>
  );
}
