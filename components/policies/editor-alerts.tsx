"use client";
import { useEffect, useRef } from "react";
import { ConflictAlert } from "@/components/applications/conflict-alert";
import { problemCount } from "./draft-document";
import type { EditorError } from "./policy-errors";
import { pathLabel } from "./policy-labels";
import styles from "./policies.module.css";

// What the editor has to say: a stale save (with a way to reload), a problem with the
// last action, a successful save, and the list of the document's problems, each a
// button that takes the person to the field.

export function EditorAlerts({
  conflict,
  problem,
  saved,
  onReload,
}: {
  conflict: string | null;
  problem: string | null;
  saved: number | null;
  onReload: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problem || conflict) ref.current?.querySelector<HTMLElement>('[role="alert"]')?.focus();
  }, [problem, conflict]);
  return (
    <div ref={ref}>
      {conflict ? <ConflictAlert detail={conflict} onReload={onReload} reloading={false} /> : null}
      {problem ? (
        <div className="alert alert-error" role="alert" tabIndex={-1}>
          <p>{problem}</p>
        </div>
      ) : null}
      {saved !== null ? (
        <p className="alert alert-success" role="status">
          Saved. The draft is now at revision {saved}.
        </p>
      ) : null}
    </div>
  );
}

export function ErrorSummary({ errors, onSelect }: { errors: EditorError[]; onSelect: (error: EditorError) => void }) {
  if (errors.length === 0) return null;
  return (
    <div className={`alert alert-error ${styles.errorSummary}`} aria-labelledby="policy-error-summary">
      <p id="policy-error-summary">
        <strong>{problemCount(errors.length)} in this policy</strong>
      </p>
      <ul>
        {errors.map((error) => (
          <li key={`${error.key}:${error.message}:${error.line ?? ""}`}>
            <button type="button" onClick={() => onSelect(error)}>
              {error.line ? `Line ${error.line}, column ${error.column ?? 1}: ` : ""}
              {pathLabel(error.path)}: {error.message}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
