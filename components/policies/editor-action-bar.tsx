"use client";
import Link from "next/link";
import styles from "./policies.module.css";

// Save, submit (only once saved), discard, and the way to the diff with the parent version.

export function EditorActionBar({
  dirty,
  saving,
  submitting,
  onSave,
  onSubmit,
  onDiscard,
  compareHref,
  parentNumber,
}: {
  dirty: boolean;
  saving: boolean;
  submitting: boolean;
  onSave: () => void;
  onSubmit: () => void;
  onDiscard: () => void;
  compareHref: string | null;
  parentNumber: number | null;
}) {
  return (
    <div className={styles.stickyActions}>
      <button type="button" className="button" onClick={onSave} disabled={saving}>
        {saving ? "Saving…" : "Save draft"}
      </button>
      <button
        type="button"
        className="button button-secondary"
        onClick={onSubmit}
        disabled={dirty || submitting}
        aria-describedby={dirty ? "submit-hint" : undefined}
      >
        {submitting ? "Submitting…" : "Submit for review"}
      </button>
      {dirty ? (
        <>
          <span id="submit-hint" className="muted">
            Save your changes before submitting.
          </span>
          <button type="button" className="button button-secondary button-small" onClick={onDiscard}>
            Discard changes
          </button>
        </>
      ) : null}
      {compareHref ? <Link href={compareHref}>Compare with version {parentNumber}</Link> : null}
    </div>
  );
}
