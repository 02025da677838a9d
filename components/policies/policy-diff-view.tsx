import type { LineDiffRow } from "@/lib/policies/line-diff";
import type { PolicyDiffView } from "@/lib/policies/policy-schemas";
import styles from "./policies.module.css";

// A diff for a reviewer: first what changed, in sentences, flagged where protection gets
// weaker or stronger; then both documents side by side with the changed lines marked.

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
            {change.risk ? <span className={`badge ${change.risk === "loosens" ? styles.riskLoosens : styles.riskTightens}`}>{change.risk === "loosens" ? "Loosens" : "Tightens"}</span> : <span className="badge badge-neutral">Change</span>}
            <span>{change.text}</span>
            <code className="muted">{change.path}</code>
          </li>
        ))}
      </ul>
    </>
  );
}

export function SideBySide({ rows, left, right }: { rows: LineDiffRow[] | null; left: string; right: string }) {
  if (!rows) return <p className="muted">These documents are too large to show side by side; the list of changes above is complete.</p>;
  return (
    <div className="table-wrap">
      <table className={styles.sideBySide}>
        <caption className="visually-hidden">
          {left} and {right} side by side; removed lines are marked on the left, added lines on the right.
        </caption>
        <colgroup>
          <col className={styles.lineNumber} />
          <col />
          <col className={styles.lineNumber} />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th scope="col" colSpan={2}>
              {left}
            </th>
            <th scope="col" colSpan={2}>
              {right}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              <td className={styles.lineNumber}>{row.left?.number ?? ""}</td>
              <td className={row.left === null ? styles.lineEmpty : row.kind === "same" ? undefined : styles.lineRemoved}>
                {row.left === null ? null : row.kind === "same" ? (
                  row.left.text
                ) : (
                  <del>
                    <span className="visually-hidden">removed: </span>
                    {row.left.text}
                  </del>
                )}
              </td>
              <td className={styles.lineNumber}>{row.right?.number ?? ""}</td>
              <td className={row.right === null ? styles.lineEmpty : row.kind === "same" ? undefined : styles.lineAdded}>
                {row.right === null ? null : row.kind === "same" ? (
                  row.right.text
                ) : (
                  <ins>
                    <span className="visually-hidden">added: </span>
                    {row.right.text}
                  </ins>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Two version pickers in a plain GET form: works without JavaScript, and the URL is shareable. */
export function DiffPicker({ policyId, versions, from, to }: { policyId: string; versions: { id: string; number: number; state: string }[]; from: string; to: string }) {
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
