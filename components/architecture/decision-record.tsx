import Link from "next/link";
import type { ReactNode } from "react";
import { DateTime } from "@/components/date-time";
import { PageHeader } from "@/components/page-header";
import { architectureTitle } from "@/lib/architecture/architecture-names";
import { ARCHITECTURE_PROFILES } from "@/lib/architecture/architecture-profiles";
import type { DecisionView } from "@/lib/architecture/architecture-schemas";
import styles from "./architecture.module.css";
import { DecisionStatusBadge } from "./decision-status-badge";
import { AnswersTable, ArchitectureMeaning, PolicySplitTable, ScoresTable, WarningsPanel } from "./result-sections";

/** One architecture decision record, laid out as the ADR it is. Printable. */
export function DecisionRecord({ decision: d, actions, resultHref }: { decision: DecisionView; actions: ReactNode; resultHref: string }) {
  return (
    <>
      <PageHeader
        title={`${d.reference}: ${d.title}`}
        description={
          <>
            <DecisionStatusBadge status={d.status} /> Architecture {d.architecture} · {d.team.name}
          </>
        }
        back={{ href: "/architecture", label: "Architecture" }}
      />
      <div className={`button-row ${styles.noPrint} ${styles.recordActions}`}>{actions}</div>

      {d.status === "superseded" && d.supersededBy ? (
        <p className="alert alert-info" role="status">
          This record is superseded by <Link href={`/architecture/decisions/${d.supersededBy.id}`}>{d.supersededBy.reference}</Link>. It is kept as history and
          no longer applies.
        </p>
      ) : null}

      <section className="panel" aria-labelledby="status-heading">
        <h2 id="status-heading">Status</h2>
        <dl className="details">
          <div>
            <dt>Status</dt>
            <dd data-testid="decision-status">
              <DecisionStatusBadge status={d.status} />
            </dd>
          </div>
          <div>
            <dt>Decided architecture</dt>
            <dd data-testid="decision-architecture">{architectureTitle(d.architecture)}</dd>
          </div>
          <div>
            <dt>Rampart recommended</dt>
            <dd>{d.recommended}</dd>
          </div>
          <div>
            <dt>For</dt>
            <dd>
              {d.applications.length === 0 ? (
                <>Team {d.team.name}: every application without a decision of its own</>
              ) : (
                <ul className="compact-list">
                  {d.applications.map((a) => (
                    <li key={a.id}>
                      <Link href={`/applications/${a.id}`}>{a.name}</Link>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </div>
          <div>
            <dt>Author</dt>
            <dd>{d.author.name}</dd>
          </div>
          <div>
            <dt>Proposed</dt>
            <dd>
              <DateTime value={d.createdAt} />
            </dd>
          </div>
          <div>
            <dt>Accepted</dt>
            <dd>
              {d.acceptedAt ? (
                <>
                  <DateTime value={d.acceptedAt} /> by {d.acceptedBy?.name}
                </>
              ) : (
                "Not yet: a security officer other than the author accepts it"
              )}
            </dd>
          </div>
          {d.supersedes ? (
            <div>
              <dt>Supersedes</dt>
              <dd>
                <Link href={`/architecture/decisions/${d.supersedes.id}`}>{d.supersedes.reference}</Link>
              </dd>
            </div>
          ) : null}
        </dl>
      </section>

      <section className="panel" aria-labelledby="context-heading">
        <h2 id="context-heading">Context</h2>
        {d.context ? <p className="break">{d.context}</p> : null}
        <AnswersTable answers={d.answers} id="context-heading" />
        <h3>Rampart&apos;s evaluation at the time</h3>
        <ScoresTable evaluation={d.evaluation} caption="Points per architecture when the record was proposed" />
        <p className={styles.noPrint}>
          <Link href={resultHref}>See the full result for these answers</Link>
        </p>
      </section>
      <WarningsPanel warnings={d.evaluation.warnings} />

      <section className="panel" aria-labelledby="decision-heading">
        <h2 id="decision-heading">Decision</h2>
        <p>
          We will use architecture <strong>{architectureTitle(d.architecture)}</strong>.
        </p>
        <p>{ARCHITECTURE_PROFILES[d.architecture].summary}</p>
        {d.architecture !== d.recommended ? (
          <p className="alert alert-warning">
            This differs from Rampart&apos;s recommendation ({d.recommended}). Why: {d.rationale}
          </p>
        ) : d.rationale ? (
          <p className="break">{d.rationale}</p>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="consequences-heading">
        <h2 id="consequences-heading">Consequences</h2>
        <ul className="plain-list">
          {d.consequences.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      </section>

      <section className="panel" aria-labelledby="meaning-heading">
        <h2 id="meaning-heading">What it means in Rampart{d.status === "accepted" ? " (in force)" : ""}</h2>
        <ArchitectureMeaning architecture={d.architecture} />
      </section>

      <section className="panel" aria-labelledby="split-heading">
        <h2 id="split-heading">Baseline and fine-grained policy</h2>
        <PolicySplitTable architecture={d.architecture} />
      </section>

      <section className="panel" aria-labelledby="alternatives-heading">
        <h2 id="alternatives-heading">Alternatives considered</h2>
        {d.alternatives.map((alt) => (
          <div key={alt.architecture}>
            <h3>{architectureTitle(alt.architecture)}</h3>
            <p>{alt.whyNot}</p>
          </div>
        ))}
      </section>
    </>
  );
}
