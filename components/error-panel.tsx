"use client";
import Link from "next/link";

/** Unexpected errors only: permission and not-found cases have their own pages. */
export function ErrorPanel({ digest, onRetry }: { digest?: string; onRetry: () => void }) {
  return (
    <section className="status-panel" aria-labelledby="error-title">
      <p className="status-code">Error</p>
      <h1 id="error-title">Something went wrong</h1>
      <p className="status-body">The page could not be shown. Try again; if it keeps happening, tell your platform team.</p>
      {digest ? <p className="muted">Reference: {digest}</p> : null}
      <p className="button-row">
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
        <Link className="button button-secondary" href="/">
          Go to the overview
        </Link>
      </p>
    </section>
  );
}
