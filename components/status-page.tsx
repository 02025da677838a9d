import Link from "next/link";
import type { ReactNode } from "react";

/**
 * The message of a 403/404: what happened, and a way on. It renders inside the portal
 * shell (which owns the <main> landmark), so it is a section, not a page of its own.
 */
export function StatusPage({ code, title, children }: { code: string; title: string; children: ReactNode }) {
  return (
    <section className="status-panel" aria-labelledby="status-title">
      <p className="status-code">{code}</p>
      <h1 id="status-title">{title}</h1>
      <div className="status-body">{children}</div>
      <p>
        <Link className="button" href="/">
          Go to the overview
        </Link>
      </p>
    </section>
  );
}
