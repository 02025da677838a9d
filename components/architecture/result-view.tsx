import Link from "next/link";
import type { ReactNode } from "react";
import type { Answers } from "@/lib/architecture/answers-schema";
import { ARCHITECTURE_NAMES } from "@/lib/architecture/architecture-names";
import { ARCHITECTURE_PROFILES } from "@/lib/architecture/architecture-profiles";
import type { EvaluationView } from "@/lib/architecture/architecture-schemas";
import styles from "./architecture.module.css";
import { CopyLinkButton } from "./copy-link-button";
import { PrintButton } from "./print-button";
import {
  AnswersTable,
  ArchitectureCards,
  ArchitectureMeaning,
  CharacteristicsTable,
  FlipsList,
  PolicySplitTable,
  ReasonsTable,
  ScoresTable,
  WarningsPanel,
} from "./result-sections";

/** The result page: the recommendation, why, what would change it, and what it means. Printable as it is. */
export function ResultView({
  answers,
  evaluation,
  changeAnswersHref,
  saveSection,
}: {
  answers: Answers;
  evaluation: EvaluationView;
  changeAnswersHref: string;
  saveSection: ReactNode;
}) {
  const a = evaluation.architecture;
  return (
    <>
      <section className={styles.verdict} aria-labelledby="verdict-heading">
        <p className="muted">Rampart recommends</p>
        <h2 id="verdict-heading" data-testid="recommended-architecture" data-architecture={a}>
          <span className={styles.verdictLetter} aria-hidden="true">
            {a}
          </span>
          <span className="visually-hidden">Architecture {a}: </span>
          {ARCHITECTURE_NAMES[a]}
        </h2>
        <p>{ARCHITECTURE_PROFILES[a].summary}</p>
        <div className={`button-row ${styles.noPrint}`}>
          <PrintButton label="Print this result" />
          <CopyLinkButton />
          <Link className="button button-secondary" href={changeAnswersHref}>
            Change answers
          </Link>
        </div>
      </section>

      <WarningsPanel warnings={evaluation.warnings} />

      <section className="panel" aria-labelledby="scores-heading">
        <h2 id="scores-heading">Scores</h2>
        <p>
          Each answer adds or takes away points for each architecture (from −3 to +3). Some answers rule an architecture out entirely, whatever it scores.
          {evaluation.margin === null
            ? " Only one architecture is possible with these answers."
            : evaluation.margin === 0
              ? " The top two are tied; see the warning above."
              : ` The recommendation leads by ${evaluation.margin} point${evaluation.margin === 1 ? "" : "s"}.`}
        </p>
        <ScoresTable evaluation={evaluation} caption="Points per architecture" />
      </section>

      <section className="panel" aria-labelledby="reasons-heading">
        <h2 id="reasons-heading">Why: what each answer did</h2>
        <ReasonsTable evaluation={evaluation} />
      </section>

      <section className="panel" aria-labelledby="flips-heading">
        <h2 id="flips-heading">What would change the recommendation</h2>
        <p>Each line is one answer that, changed on its own, leads to a different recommendation.</p>
        <FlipsList evaluation={evaluation} />
      </section>

      <section className="panel" aria-labelledby="meaning-heading">
        <h2 id="meaning-heading">What architecture {a} means for your teams</h2>
        <ArchitectureMeaning architecture={a} />
      </section>

      <section className="panel" aria-labelledby="split-heading">
        <h2 id="split-heading">Baseline and fine-grained policy</h2>
        <p>
          The <strong>baseline</strong> is the security team&apos;s policy for every application; <strong>fine-grained</strong> policy belongs to one
          application. An application may tighten the baseline, never loosen it.
        </p>
        <PolicySplitTable architecture={a} />
      </section>

      <section className="panel" aria-labelledby="characteristics-heading">
        <h2 id="characteristics-heading">Gateway and microgateway compared</h2>
        <p>
          A <strong>gateway</strong> is one hardened entry point in front of all applications. A <strong>microgateway</strong> is a small gateway that runs as a
          container next to one application inside Kubernetes.
        </p>
        <CharacteristicsTable />
      </section>

      <section className="panel" aria-labelledby="architectures-heading">
        <h2 id="architectures-heading">The three architectures</h2>
        <ArchitectureCards chosen={a} />
      </section>

      <section className="panel" aria-labelledby="answers-heading">
        <h2 id="answers-heading">Your answers</h2>
        <AnswersTable answers={answers} id="answers-heading" />
      </section>

      <section className={`panel ${styles.noPrint}`} aria-labelledby="save-heading">
        <h2 id="save-heading">Record the decision</h2>
        {saveSection}
      </section>
    </>
  );
}
