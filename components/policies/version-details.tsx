import { DateTime } from "@/components/date-time";
import type { PolicyVersionView } from "@/lib/policies/policy-schemas";

/** Who did what to a version, and when. */
export function VersionDetails({ version }: { version: PolicyVersionView }) {
  const steps = [
    { label: "Created", who: version.author.name, at: version.createdAt },
    { label: "Submitted", who: version.submittedBy?.name, at: version.submittedAt },
    { label: version.state === "rejected" ? "Rejected" : "Approved", who: version.reviewedBy?.name, at: version.reviewedAt },
    { label: "Published", who: version.publishedBy?.name, at: version.publishedAt },
    { label: "Superseded", who: undefined, at: version.supersededAt },
  ].filter((step) => step.at);
  const editors = version.editors.filter((e) => e.id !== version.author.id);
  return (
    <dl className="details">
      {steps.map((step) => (
        <div key={step.label}>
          <dt>{step.label}</dt>
          <dd>
            <DateTime value={step.at} />
            {step.who ? <> by {step.who}</> : null}
          </dd>
        </div>
      ))}
      {editors.length > 0 ? (
        <div>
          <dt>Edited by</dt>
          <dd>{editors.map((e) => e.name).join(", ")}</dd>
        </div>
      ) : null}
      {version.submissionSummary ? (
        <div>
          <dt>Why this change</dt>
          <dd>{version.submissionSummary}</dd>
        </div>
      ) : null}
      {version.reviewNote ? (
        <div>
          <dt>{version.state === "draft" ? "Changes requested" : "Review note"}</dt>
          <dd>{version.reviewNote}</dd>
        </div>
      ) : null}
      {version.note ? (
        <div>
          <dt>Author&apos;s note</dt>
          <dd>{version.note}</dd>
        </div>
      ) : null}
      <div>
        <dt>Content hash</dt>
        <dd className="mono break">{version.contentHash}</dd>
      </div>
    </dl>
  );
}
