"use client";

/**
 * A refused write because the application changed underneath (stale If-Match, or
 * archived meanwhile). The API's detail says what happened; Reload is the way on.
 */
export function ConflictAlert({ detail, onReload, reloading }: { detail: string; onReload: () => void; reloading: boolean }) {
  return (
    <div className="alert alert-warning" role="alert" tabIndex={-1}>
      <p>
        <strong>Your change was not saved.</strong> {detail}
      </p>
      <p>
        <button type="button" className="button" onClick={onReload} disabled={reloading}>
          {reloading ? "Reloading…" : "Reload"}
        </button>
      </p>
    </div>
  );
}
