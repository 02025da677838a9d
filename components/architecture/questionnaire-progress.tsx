import styles from "./architecture.module.css";

// The questionnaire's header: why it is open (a revisit, an application, a draft to
// resume) and the list of steps marking the current one.

export function QuestionnaireNotices({
  revisit,
  forApplication,
  lastDraft,
}: {
  revisit: { reference: string } | null;
  forApplication: { name: string | null } | null;
  /** A draft this browser left unfinished, offered for resuming; null when there is none or this is it. */
  lastDraft: string | null;
}) {
  return (
    <>
      {revisit ? (
        <p className="alert alert-info">
          You are revisiting <strong>{revisit.reference}</strong>. The answers recorded there are filled in; change what is no longer true. Saving the result
          proposes a new record that supersedes {revisit.reference} once it is accepted.
        </p>
      ) : null}
      {forApplication?.name ? (
        <p className="alert alert-info">
          You are answering for <strong>{forApplication.name}</strong>: saving the result proposes the decision for it.
        </p>
      ) : null}
      {lastDraft ? (
        <p className="alert alert-info">
          You have an unfinished questionnaire in this browser. <a href={`/architecture/questionnaire?draft=${lastDraft}`}>Resume it</a>
        </p>
      ) : null}
    </>
  );
}

export function StepProgress({ steps, step }: { steps: ReadonlyArray<{ id: string; title: string }>; step: number }) {
  return (
    <>
      <p className={styles.progressText} aria-hidden="true">
        Step {step + 1} of {steps.length}
      </p>
      <nav aria-label="Questionnaire progress">
        <ol className={styles.steps}>
          {steps.map((s, index) => (
            <li key={s.id} aria-current={index === step ? "step" : undefined} data-state={index < step ? "done" : undefined}>
              <span className="visually-hidden">
                Step {index + 1} of {steps.length}:{" "}
              </span>
              {s.title}
              {index < step ? <span className="visually-hidden"> (done)</span> : null}
            </li>
          ))}
        </ol>
      </nav>
    </>
  );
}
