"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { applicationSchema, type ApplicationView } from "@/lib/applications/application-schemas";
import { ApiError, apiRequest } from "@/lib/query/api-client";
import { queryKeys } from "@/lib/query/query-keys";
import { ConflictAlert } from "./conflict-alert";

export function ArchiveApplication({ application }: { application: ApplicationView }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const [reloading, setReloading] = useState(false);

  const archive = useMutation({
    mutationFn: () => apiRequest(`/applications/${application.id}/archive`, { method: "POST", ifMatch: application.version, schema: applicationSchema }),
    onSuccess: (archived) => {
      queryClient.setQueryData(queryKeys.applications.detail(archived.id), archived);
      void queryClient.invalidateQueries({ queryKey: queryKeys.applications.lists });
    },
  });

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  async function reload() {
    setReloading(true);
    await queryClient.invalidateQueries({ queryKey: queryKeys.applications.detail(application.id) });
    archive.reset();
    setConfirming(false);
    setReloading(false);
  }

  const error = archive.error;
  return (
    <section className="panel panel-danger no-print" aria-labelledby="archive-heading">
      <h2 id="archive-heading">Archive</h2>
      <p>Archiving hides the application from lists and stops further edits. Its history stays in the audit log. Archiving cannot be undone from the portal.</p>
      {error instanceof ApiError && error.isConflict ? (
        <ConflictAlert detail={error.message} onReload={reload} reloading={reloading} />
      ) : error ? (
        <div className="alert alert-error" role="alert">
          <p>{error.message}</p>
        </div>
      ) : null}
      {confirming ? (
        <div className="confirm" role="group" aria-labelledby="archive-confirm-text">
          <p id="archive-confirm-text">
            <strong>Archive {application.name}?</strong>
          </p>
          <div className="button-row">
            <button ref={confirmRef} type="button" className="button button-danger" onClick={() => archive.mutate()} disabled={archive.isPending}>
              {archive.isPending ? "Archiving…" : "Yes, archive it"}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setConfirming(false)} disabled={archive.isPending}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="button button-danger-outline" onClick={() => setConfirming(true)}>
          Archive application
        </button>
      )}
    </section>
  );
}
