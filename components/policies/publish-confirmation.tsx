"use client";

export type PublishImpact = {
  /** The version in force now, replaced by this one. */
  inForce: number | null;
  change: { changes: number; loosens: number; tightens: number } | null;
  /** null: the reader may not see the delivery targets. */
  targets: { id: string; name: string; kind: "proxy" | "kubernetes" | "git"; where: string; liveInstances: number | null }[] | null;
};

/** Asked before Publish: what the version changes and where it goes, target by target. */
export function PublishConfirmation({
  versionNumber,
  impact,
  pending,
  onConfirm,
  onCancel,
}: {
  versionNumber: number;
  impact: PublishImpact;
  pending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const change = impact.change;
  const what =
    impact.inForce === null
      ? `Version ${versionNumber} becomes the first version in force.`
      : `Version ${versionNumber} replaces version ${impact.inForce}${
          change
            ? `: ${change.changes} ${change.changes === 1 ? "change" : "changes"}${change.loosens > 0 ? `, ${change.loosens} loosening protection` : ""}${change.tightens > 0 ? `, ${change.tightens} tightening it` : ""}`
            : ""
        }.`;
  return (
    <div
      className="alert alert-warning"
      role="alertdialog"
      aria-labelledby="publish-confirm-heading"
      aria-describedby="publish-confirm-what"
      data-testid="publish-confirmation"
    >
      <h3 id="publish-confirm-heading">Publish version {versionNumber}?</h3>
      <p id="publish-confirm-what">{what}</p>
      {impact.targets === null ? (
        <p>You cannot see the delivery targets of this policy; the security team&apos;s targets receive it as usual.</p>
      ) : impact.targets.length === 0 ? (
        <p>No delivery target delivers it yet: publishing changes what new targets will receive, nothing running.</p>
      ) : (
        <ul aria-label="Where it goes">
          {impact.targets.map((target) => (
            <li key={target.id}>
              <strong>{target.name}</strong> (
              {target.kind === "proxy"
                ? `proxy${target.where ? ` · ${target.where}` : ""}`
                : target.kind === "kubernetes"
                  ? `cluster · ${target.where}`
                  : `Git · ${target.where}`}
              ):{" "}
              {target.kind === "proxy"
                ? target.liveInstances
                  ? `${target.liveInstances} live ${target.liveInstances === 1 ? "proxy loads" : "proxies load"} it within seconds, at their next poll.`
                  : "no live proxy now; each loads it when it connects."
                : target.kind === "kubernetes"
                  ? "nothing changes in the cluster until the security team plans and applies it."
                  : "nothing changes in the repository until the security team exports it."}
            </li>
          ))}
        </ul>
      )}
      <div className="button-row">
        <button type="button" className="button" onClick={onConfirm} disabled={pending}>
          {pending ? "Publishing…" : `Publish version ${versionNumber}`}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={pending}>
          Cancel
        </button>
      </div>
    </div>
  );
}
