"use client";
import Link from "next/link";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
// Types only from the schemas: the questionnaire's first load ships no zod (its budget is
// 150 KB gzipped; bench/portal/questionnaire-bundle.ts). The API validates every answer.
import type { FactorId, PartialAnswers } from "@/lib/architecture/answers-schema";
import { answersToSearchParams, REQUIRED_FACTORS } from "@/lib/architecture/factor-ids";
import { answerLabel, factorsOfTopic, TOPICS, type Factor } from "@/lib/architecture/factors";
import styles from "./architecture.module.css";
import { QuestionnaireNotices, StepProgress } from "./questionnaire-progress";
import { useArchitectureDraft, type SaveState } from "./use-architecture-draft";

// The guided questionnaire: one topic per screen, then a review. Native radios in
// fieldsets (arrow keys move between answers, the legend names the group), a list of
// steps marking the current one, and focus moved to each new screen's heading.
// Every step is saved as a server-side draft; the page's URL (?draft=…) is then the
// way back to it, for this person or anyone they send it to.

const STEPS = [...TOPICS.map((t) => ({ id: t.id as string, title: t.title })), { id: "review", title: "Review" }];
const REVIEW_STEP = STEPS.length - 1;

export type QuestionnaireProps = {
  initialAnswers: PartialAnswers;
  initialStep: number;
  draft: { id: string; version: number } | null;
  /** Carried into the result link: the accepted record this questionnaire revisits. */
  revisit: { id: string; reference: string } | null;
  /** Carried into the result link: the application the questionnaire was opened for (pre-selected when saving). */
  forApplication: { id: string; name: string | null } | null;
};

const subscribeToNothing = () => () => {};
const readOrigin = () => window.location.origin;

function missingIn(answers: PartialAnswers, factors: readonly Factor[]): FactorId[] {
  return factors.filter((f) => f.required && answers[f.id] === undefined).map((f) => f.id);
}

export function Questionnaire({ initialAnswers, initialStep, draft, revisit, forApplication }: QuestionnaireProps) {
  const [answers, setAnswers] = useState<PartialAnswers>(initialAnswers);
  const [step, setStep] = useState(Math.min(Math.max(initialStep, 0), REVIEW_STEP));
  const [invalid, setInvalid] = useState<FactorId[]>([]);
  // Bumped on each refused "Next": focus goes to the first open question then, and only then
  // (answering one question must not pull focus to the next unanswered one).
  const [refusals, setRefusals] = useState(0);
  const { save, draftId, lastDraft, saveDraft, loadTheirs } = useArchitectureDraft({ draft, revisit, forApplication, onLoaded: setAnswers });
  const headingRef = useRef<HTMLHeadingElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const movedRef = useRef(false);

  useEffect(() => {
    // Not on the first render: focus moves only when the person moves.
    if (movedRef.current) headingRef.current?.focus();
  }, [step]);

  const focusTarget = useRef<FactorId | null>(null);
  useEffect(() => {
    if (refusals === 0 || !focusTarget.current) return;
    formRef.current?.querySelector<HTMLInputElement>(`fieldset[data-factor="${focusTarget.current}"] input`)?.focus();
  }, [refusals]);

  function choose(factor: Factor, raw: string) {
    const option = factor.options.find((o) => String(o.value) === raw);
    setAnswers((prev) => {
      const next = { ...prev } as Record<string, unknown>;
      if (option) next[factor.id] = option.value;
      else delete next[factor.id];
      return next as PartialAnswers;
    });
    setInvalid((prev) => prev.filter((id) => id !== factor.id));
  }

  function goTo(target: number) {
    movedRef.current = true;
    setInvalid([]);
    setStep(target);
    saveDraft(answers, target);
  }

  function next() {
    const topic = TOPICS[step];
    const missing = topic ? missingIn(answers, factorsOfTopic(topic.id)) : [];
    if (missing.length > 0) {
      setInvalid(missing);
      focusTarget.current = missing[0] ?? null;
      setRefusals((n) => n + 1);
      return;
    }
    goTo(step + 1);
  }

  const missingRequired = REQUIRED_FACTORS.filter((f) => answers[f] === undefined);
  const resultParams = answersToSearchParams(answers);
  if (revisit) resultParams.set("revisit", revisit.id);
  if (forApplication) resultParams.set("application", forApplication.id);
  const resultHref = `/architecture/result?${resultParams}`;
  const current = STEPS[step]!;
  const draftUrl = draftId ? `/architecture/questionnaire?draft=${draftId}` : null;

  return (
    <div>
      <QuestionnaireNotices revisit={revisit} forApplication={forApplication} lastDraft={draftId ? null : lastDraft} />
      <StepProgress steps={STEPS} step={step} />

      <form
        ref={formRef}
        noValidate
        aria-labelledby="step-heading"
        onSubmit={(event) => {
          event.preventDefault();
          if (step < REVIEW_STEP) next();
        }}
      >
        <h2 id="step-heading" ref={headingRef} tabIndex={-1}>
          {current.title}
        </h2>

        {step < REVIEW_STEP ? (
          <>
            <p className="muted">{TOPICS[step]!.intro}</p>
            {invalid.length > 0 ? (
              <p className="alert alert-error" role="alert">
                Answer every question marked as required before you continue ({invalid.length} missing).
              </p>
            ) : null}
            {factorsOfTopic(TOPICS[step]!.id).map((factor) => (
              <QuestionField
                key={factor.id}
                factor={factor}
                value={answers[factor.id]}
                invalid={invalid.includes(factor.id)}
                onChange={(raw) => choose(factor, raw)}
              />
            ))}
          </>
        ) : (
          <ReviewStep answers={answers} onChange={(index) => goTo(index)} />
        )}

        <div className={styles.navRow}>
          <div className="button-row">
            {step > 0 ? (
              <button type="button" className="button button-secondary" onClick={() => goTo(step - 1)}>
                Back
              </button>
            ) : null}
          </div>
          <div className="button-row">
            {step < REVIEW_STEP ? (
              <button type="submit" className="button">
                Next
              </button>
            ) : missingRequired.length === 0 ? (
              <Link className="button" href={resultHref}>
                See the recommendation
              </Link>
            ) : (
              <button
                type="button"
                className="button"
                onClick={() => {
                  const topicIndex = TOPICS.findIndex((t) => missingIn(answers, factorsOfTopic(t.id)).length > 0);
                  goTo(Math.max(topicIndex, 0));
                }}
              >
                Answer the {missingRequired.length} open question{missingRequired.length === 1 ? "" : "s"}
              </button>
            )}
          </div>
        </div>
      </form>

      <DraftStatus save={save} draftUrl={draftUrl} onLoadTheirs={loadTheirs} />
    </div>
  );
}

function QuestionField({ factor, value, invalid, onChange }: { factor: Factor; value: unknown; invalid: boolean; onChange: (raw: string) => void }) {
  const helpId = `${factor.id}-help`;
  const errorId = `${factor.id}-error`;
  return (
    <fieldset className={styles.question} data-factor={factor.id} data-invalid={invalid} aria-describedby={invalid ? `${helpId} ${errorId}` : helpId}>
      <legend>
        {factor.question}
        {factor.required ? null : <span className="field-optional"> (optional)</span>}
      </legend>
      <p id={helpId} className={styles.questionHelp}>
        {factor.help}
      </p>
      {invalid ? (
        <p id={errorId} className="field-error">
          Choose an answer.
        </p>
      ) : null}
      <div className={styles.options}>
        {factor.options.map((option) => (
          <label key={String(option.value)} className={styles.option}>
            <input
              type="radio"
              name={factor.id}
              value={String(option.value)}
              checked={value === option.value}
              onChange={(e) => onChange(e.currentTarget.value)}
            />
            <span>{option.label}</span>
          </label>
        ))}
        {factor.required ? null : (
          <label className={`${styles.option} ${styles.optionSkip}`}>
            <input type="radio" name={factor.id} value="" checked={value === undefined} onChange={() => onChange("")} />
            <span>Skip this question</span>
          </label>
        )}
      </div>
    </fieldset>
  );
}

function ReviewStep({ answers, onChange }: { answers: PartialAnswers; onChange: (step: number) => void }) {
  return (
    <>
      <p className="muted">Check your answers. Rampart will recommend an architecture and explain why on the next page.</p>
      {TOPICS.map((topic, index) => (
        <section key={topic.id} className="panel" aria-labelledby={`review-${topic.id}`}>
          <div className="page-header-row">
            <h3 id={`review-${topic.id}`}>{topic.title}</h3>
            <button type="button" className="button button-secondary button-small" onClick={() => onChange(index)} aria-label={`Change: ${topic.title}`}>
              Change
            </button>
          </div>
          <dl className="details">
            {factorsOfTopic(topic.id).map((factor) => (
              <div key={factor.id}>
                <dt>{factor.title}</dt>
                <dd>
                  {answers[factor.id] === undefined && factor.required ? (
                    <strong className="field-error">Not answered yet</strong>
                  ) : answers[factor.id] === undefined ? (
                    <span className="muted">Skipped</span>
                  ) : (
                    answerLabel(factor.id, answers[factor.id])
                  )}
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </>
  );
}

function DraftStatus({ save, draftUrl, onLoadTheirs }: { save: SaveState; draftUrl: string | null; onLoadTheirs: () => void }) {
  const [copied, setCopied] = useState(false);
  const origin = useSyncExternalStore(subscribeToNothing, readOrigin, () => "");
  const absolute = draftUrl ? `${origin}${draftUrl}` : null;
  return (
    <section className={`panel ${styles.draftNote}`} aria-labelledby="draft-heading">
      <h2 id="draft-heading" className="visually-hidden">
        Draft
      </h2>
      <p role="status">
        {save.state === "saving"
          ? "Saving your answers…"
          : save.state === "saved"
            ? "Your answers are saved as a draft."
            : save.state === "idle"
              ? draftUrl
                ? "Your answers are saved as a draft."
                : "Your answers are saved as a draft when you move to the next step."
              : null}
      </p>
      {save.state === "conflict" ? (
        <div className="alert alert-warning" role="alert">
          <p>
            <strong>Someone else changed this draft since you opened it.</strong> Your latest step was not saved.
          </p>
          <p className="muted">{save.message}</p>
          <button type="button" className="button" onClick={onLoadTheirs}>
            Load their answers
          </button>
        </div>
      ) : null}
      {save.state === "error" ? (
        <p className="alert alert-error" role="alert">
          The draft could not be saved: {save.message} Your answers stay in this page; you can still see the recommendation.
        </p>
      ) : null}
      {absolute ? (
        <div className={styles.draftLink}>
          <label htmlFor="draft-url">Resume later or share with your team:</label>
          <input id="draft-url" type="text" readOnly value={absolute} onFocus={(e) => e.currentTarget.select()} />
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={async () => {
              await navigator.clipboard?.writeText(absolute);
              setCopied(true);
            }}
          >
            {copied ? "Copied" : "Copy link"}
          </button>
        </div>
      ) : null}
    </section>
  );
}
