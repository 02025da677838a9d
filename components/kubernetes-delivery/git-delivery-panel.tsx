"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ActionButton } from "@/components/action-button";
import { DataTable } from "@/components/data-table";
import { DateTime } from "@/components/date-time";
import { gitExportSchema, type GitExportView } from "@/lib/kubernetes/delivery/kubernetes-delivery-schemas";
import { apiRequest } from "@/lib/query/api-client";
import { gitExportsQuery, kubernetesDeliveryKeys } from "@/lib/query/kubernetes-delivery-queries";
import styles from "./kubernetes-delivery.module.css";

/**
 * A Git target's GitOps delivery: export the rendered resources as a commit (authored by
 * whoever exports) and the history of exports; the ZIP of the same tree for download.
 */
export function GitDeliveryPanel({ targetId, canManage, repository, branch }: { targetId: string; canManage: boolean; repository: string; branch: string }) {
  const queryClient = useQueryClient();
  const exports = useQuery(gitExportsQuery(targetId));
  const latest = exports.data?.items[0] ?? null;
  return (
    <section className={`panel ${styles.section}`} aria-labelledby="gitops-heading">
      <div className={styles.sectionHeader}>
        <h2 id="gitops-heading">GitOps export</h2>
        <div className="button-row">
          {canManage ? (
            <ActionButton
              action={() => apiRequest(`/delivery/targets/${encodeURIComponent(targetId)}/git/exports`, { method: "POST", schema: gitExportSchema })}
              onDone={() => queryClient.invalidateQueries({ queryKey: kubernetesDeliveryKeys.gitExports(targetId) })}
              label="Export to Git: commit the rendered resources and push"
              pendingLabel="Exporting…"
              className="button button-small"
            >
              Export to Git
            </ActionButton>
          ) : null}
          <ArchiveLink targetId={targetId} />
        </div>
      </div>
      <p className="muted">
        One file per resource and a kustomization.yaml, committed to <span className="mono">{repository}</span> on branch <span className="mono">{branch}</span>
        .
      </p>
      {exports.error ? <p className="field-error">The exports could not be loaded: {exports.error.message}</p> : null}
      {latest ? <LatestExport item={latest} /> : exports.data ? <p className="muted">Not exported yet.</p> : null}
      {exports.data && exports.data.items.length > 1 ? (
        <details>
          <summary>Earlier exports</summary>
          <DataTable
            label="Earlier exports"
            rows={exports.data.items.slice(1)}
            columns={[
              { header: "When", isRowHeader: true, cell: (e) => <DateTime value={e.createdAt} /> },
              { header: "By", cell: (e) => e.author.name },
              { header: "Commit", cellClassName: "mono", cell: (e) => (e.commit ? e.commit.slice(0, 12) : "—") },
              { header: "Changed", cell: (e) => (e.changed ? `${e.added.length + e.modified.length + e.removed.length} file(s)` : "no change") },
            ]}
          />
        </details>
      ) : null}
    </section>
  );
}

function LatestExport({ item }: { item: GitExportView }) {
  const changed = [...item.added.map((f) => ["added", f]), ...item.modified.map((f) => ["modified", f]), ...item.removed.map((f) => ["removed", f])];
  return (
    <div className={styles.section} data-git-export={item.id}>
      <p className={styles.facts}>
        <span>
          Exported <DateTime value={item.createdAt} /> by {item.author.name}
        </span>
        <span>
          Commit{" "}
          <code className="mono" aria-label="Commit">
            {item.commit ?? "—"}
          </code>{" "}
          on <span className="mono">{item.branch}</span>
        </span>
        <span role="status">{item.changed ? `${changed.length} file(s) changed` : "No change: the repository already held this policy"}</span>
      </p>
      {changed.length > 0 ? (
        <ul aria-label="Changed files" className="mono">
          {changed.map(([change, file]) => (
            <li key={file}>
              {change}: {file}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The same tree as a ZIP, rendered from the published policy now. */
export function ArchiveLink({ targetId }: { targetId: string }) {
  return (
    <a className="button button-small button-secondary" href={`/api/v1/delivery/targets/${encodeURIComponent(targetId)}/git/archive`} download>
      Download ZIP
    </a>
  );
}
