import type { ReactNode } from "react";
import { PageHeader } from "./page-header";

/**
 * An area of the portal that is planned but not built yet. It says plainly what will
 * be here and shows no sample data, so nobody mistakes a mock-up for real state.
 */
export function PlaceholderArea({ title, summary, plans }: { title: string; summary: ReactNode; plans: readonly string[] }) {
  return (
    <>
      <PageHeader title={title} description={summary} />
      <section className="panel placeholder" aria-labelledby="placeholder-heading">
        <p className="badge badge-neutral">Not available yet</p>
        <h2 id="placeholder-heading">What this area will do</h2>
        <ul className="plain-list">
          {plans.map((plan) => (
            <li key={plan}>{plan}</li>
          ))}
        </ul>
        <p className="muted">Nothing here is configured or enforced yet; there is no data to show.</p>
      </section>
    </>
  );
}
