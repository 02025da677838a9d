import type { PolicyDiffView } from "@/lib/policies/policy-schemas";
import styles from "./policies.module.css";

// A diff for a reviewer: first what changed, in sentences, flagged where protection gets
// weaker or stronger; then both documents side by side (review-diff.tsx).

export function ChangeList({ diff }: { diff: PolicyDiffView }) {
  if (diff.changes.length === 0) return <p>The two versions have the same content.</p>;
  return (
    <>
      <p>
        {diff.summary.changes} {diff.summary.changes === 1 ? "change" : "changes"}
        {diff.summary.loosens > 0 ? `, ${diff.summary.loosens} loosening protection` : ""}
        {diff.summary.tightens > 0 ? `, ${diff.summary.tightens} tightening it` : ""}.
      </p>
      <ul className={styles.changeList} aria-label="Changes">
        {diff.changes.map((change) => (
          <li key={`${change.path}:${change.text}`}>
            {change.risk ? (
              <span className={`badge ${change.risk === "loosens" ? styles.riskLoosens : styles.riskTightens}`}>
                {change.risk === "loosens" ? "Loosens" : "Tightens"}
              </span>
            ) : (
              <span className="badge badge-neutral">Change</span>
            )}
            <span>{change.text}</span>
            <code className="muted">{change.path}</code>
          </li>
        ))}
      </ul>
    </>
  );
}

/** Two version pickers in a plain GET form: works without JavaScript, and the URL is shareable. */
export function DiffPicker({
  policyId,
  versions,
  from,
  to,
}: {
  policyId: string;
  versions: { id: string; number: number; state: string }[];
  from: string;
  to: string;
}) {
  const options = versions.map((v) => (
    <option key={v.id} value={v.id}>
      Version {v.number} ({v.state})
    </option>
  ));
  return (
    <form method="get" action={`/policies/${policyId}/diff`} className={styles.inlineForm}>
      <div className="field">
        <label htmlFor="diff-from">Compare</label>
        <select id="diff-from" name="from" defaultValue={from}>
          {options}
        </select>
      </div>
      <div className="field">
        <label htmlFor="diff-to">with</label>
        <select id="diff-to" name="to" defaultValue={to}>
          {options}
        </select>
      </div>
      <button type="submit" className="button button-secondary">
        Compare
      </button>
    </form>
  );
}
