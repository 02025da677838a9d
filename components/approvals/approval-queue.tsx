import Link from "next/link";
import type { ApprovalEntry } from "@/lib/approvals/approval-schemas";
import { versionWriterIds } from "@/lib/policies/version-writers";
import { DecisionForm } from "./decision-form";
import { RISK_FLAG_LABELS } from "./risk-flag-labels";

/** The queue's entries: what changes, why (the submitter's summary), its risk flags and diff, and the decision. */
export function ApprovalQueue({ entries, currentUserId }: { entries: ApprovalEntry[]; currentUserId: string }) {
  if (entries.length === 0) return <p className="muted">Nothing waits for review.</p>;
  return (
    <ol className="approval-queue" aria-label="Pending changes">
      {entries.map((entry) => (
        <li key={entry.versionId} className="panel">
          <h2>
            <Link href={`/policies/${entry.policy.id}/versions/${entry.versionId}`}>
              {entry.policy.kind === "baseline" ? `Baseline ${entry.policy.name}` : entry.policy.name} · version {entry.number}
            </Link>
          </h2>
          <p className="muted">
            {entry.application ? `${entry.application.name} (${entry.application.team.name}, ${entry.application.exposure}) · ` : "Baseline · "}
            by {entry.author.name}
            {entry.editors.some((e) => e.id !== entry.author.id)
              ? `, edited by ${entry.editors
                  .filter((e) => e.id !== entry.author.id)
                  .map((e) => e.name)
                  .join(", ")}`
              : ""}{" "}
            · waiting {entry.ageDays === 1 ? "1 day" : `${entry.ageDays} days`}
          </p>
          {entry.submissionSummary ? <p>{entry.submissionSummary}</p> : null}
          {entry.riskFlags.length > 0 ? (
            <ul aria-label="Risk flags" className="risk-flags">
              {entry.riskFlags.map((flag, i) => (
                <li key={i}>
                  <strong>{RISK_FLAG_LABELS[flag.code]}</strong>: {flag.text}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No risk flags.</p>
          )}
          <details>
            <summary>
              {entry.diff.against ? `Changes against version ${entry.diff.against.number} in force` : "Nothing published yet"}: {entry.diff.changes.length} (
              {entry.diff.loosens} loosen, {entry.diff.tightens} tighten)
            </summary>
            <ul aria-label="Changes">
              {entry.diff.changes.map((change, i) => (
                <li key={i}>
                  {change.text}
                  {change.risk ? ` (${change.risk})` : ""}
                </li>
              ))}
            </ul>
          </details>
          {!entry.impact.validates ? (
            <div className="alert alert-error" role="status">
              <p>
                {entry.impact.baselineChangedSinceSubmission ? "The baseline changed since submission; " : ""}against the baseline in force this version no
                longer validates and cannot be approved.
              </p>
              <ul>
                {entry.impact.errors.map((e, i) => (
                  <li key={i}>
                    {e.path}: {e.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : entry.impact.baselineChangedSinceSubmission ? (
            <p className="muted">The baseline changed since submission; the version still fits it.</p>
          ) : null}
          <DecisionForm
            versionId={entry.versionId}
            version={entry.version}
            number={entry.number}
            label={entry.policy.kind === "baseline" ? `baseline ${entry.policy.name}` : entry.policy.name}
            ownChange={versionWriterIds(entry).includes(currentUserId)}
          />
        </li>
      ))}
    </ol>
  );
}
