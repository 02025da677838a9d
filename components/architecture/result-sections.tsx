import { ARCHITECTURES, type Answers, type Architecture } from "@/lib/architecture/answers-schema";
import { ARCHITECTURE_NAMES, architectureTitle } from "@/lib/architecture/architecture-names";
import {
  ARCHITECTURE_PROFILES,
  CHARACTERISTICS,
  DELIVERY_TARGET_LABELS,
  EDITOR_LABELS,
  POLICY_SPLIT,
  whereLayerLives,
} from "@/lib/architecture/architecture-profiles";
import type { EvaluationView } from "@/lib/architecture/architecture-schemas";
import { describeEffectiveArchitecture } from "@/lib/architecture/describe-effective-architecture";
import { answerLabel, factorOf, FACTOR_ORDER } from "@/lib/architecture/factors";
import styles from "./architecture.module.css";

// The building blocks of the result page, also used by decision records. Server
// components: they render what they are given and hold no state.

export function Points({ value }: { value: number }) {
  if (value > 0) return <span className={styles.plus}>+{value}</span>;
  if (value < 0) return <span className={styles.minus}>−{Math.abs(value)}</span>;
  return <span className={styles.zero}>0</span>;
}

const WARNING_HEADINGS = {
  contradiction: "Contradictory answers",
  "unmet-requirement": "What the recommendation does not give you",
  caution: "Answers that fit together badly",
  "close-call": "How close the call is",
} as const;

export function WarningsPanel({ warnings }: { warnings: EvaluationView["warnings"] }) {
  if (warnings.length === 0) return null;
  const kinds = (Object.keys(WARNING_HEADINGS) as (keyof typeof WARNING_HEADINGS)[]).filter((k) => warnings.some((w) => w.kind === k));
  return (
    <section className="alert alert-warning" aria-labelledby="warnings-heading">
      <h2 id="warnings-heading">Check before you decide</h2>
      <p>Rampart does not resolve these for you; they are yours to settle.</p>
      {kinds.map((kind) => (
        <div key={kind}>
          <h3>{WARNING_HEADINGS[kind]}</h3>
          <ul className={styles.warningList}>
            {warnings
              .filter((w) => w.kind === kind)
              .map((w) => (
                <li key={w.code} data-warning={w.code}>
                  {w.message}
                </li>
              ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

export function ScoresTable({ evaluation, caption }: { evaluation: EvaluationView; caption: string }) {
  const max = Math.max(1, ...ARCHITECTURES.map((a) => Math.abs(evaluation.scores[a])));
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Architecture</th>
            <th scope="col">Points</th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {evaluation.ranking.map((a) => {
            const ruledOut = evaluation.ruledOut.filter((r) => r.architecture === a);
            const score = evaluation.scores[a];
            return (
              <tr key={a} data-architecture={a}>
                <th scope="row">{architectureTitle(a)}</th>
                <td>
                  <span className={styles.scoreCell}>
                    <span className="numeric">{score < 0 ? `−${-score}` : score}</span>
                    {/* An SVG bar: its width is an attribute, which the CSP allows (a style="" would be refused). */}
                    <svg
                      aria-hidden="true"
                      className={`${styles.scoreBar} ${ruledOut.length > 0 || score <= 0 ? styles.scoreBarOut : ""}`}
                      viewBox="0 0 100 10"
                      preserveAspectRatio="none"
                    >
                      <rect width={Math.max(1.5, Math.max(0, score / max) * 100)} height="10" rx="4" />
                    </svg>
                  </span>
                </td>
                <td>
                  {a === evaluation.architecture ? (
                    <strong>Recommended</strong>
                  ) : ruledOut.length > 0 ? (
                    <>Ruled out: {[...new Set(ruledOut.map((r) => r.reason))].join(" ")}</>
                  ) : (
                    "Possible, but scores lower"
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function ReasonsTable({ evaluation }: { evaluation: EvaluationView }) {
  return (
    <div className="table-wrap" role="region" aria-labelledby="reasons-heading" tabIndex={0}>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Question</th>
            <th scope="col">Your answer</th>
            {ARCHITECTURES.map((a) => (
              <th scope="col" key={a} className="numeric">
                <abbr title={ARCHITECTURE_NAMES[a]}>{a}</abbr>
              </th>
            ))}
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {evaluation.reasons.map((r) => {
            const factor = factorOf(r.factor);
            return (
              <tr key={r.factor} data-factor={r.factor}>
                <th scope="row">{factor.title}</th>
                <td>{answerLabel(r.factor, r.answer)}</td>
                {ARCHITECTURES.map((a) => (
                  <td key={a} className="numeric">
                    <Points value={r.effects[a]} />
                  </td>
                ))}
                <td>{r.explanation}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function FlipsList({ evaluation }: { evaluation: EvaluationView }) {
  if (evaluation.flips.length === 0) {
    return <p>No single change of answer would change the recommendation: it rests on several answers at once.</p>;
  }
  return (
    <ul className="plain-list">
      {evaluation.flips.map((f) => {
        const factor = factorOf(f.factor);
        return (
          <li key={`${f.factor}=${String(f.to)}`} data-flip={f.factor}>
            {f.from === null ? "Answering" : "Changing"} <strong>{factor.title}</strong>
            {f.from === null ? null : <> from “{answerLabel(f.factor, f.from)}”</>} to “{answerLabel(f.factor, f.to)}” would make it{" "}
            <strong>{architectureTitle(f.architecture)}</strong>.
          </li>
        );
      })}
    </ul>
  );
}

function roles(list: readonly (keyof typeof EDITOR_LABELS)[]): string {
  return list.length === 0 ? "nobody else" : list.map((r) => EDITOR_LABELS[r]).join(", ");
}

/** What an architecture means for the rest of Rampart: baseline, who edits what, delivery. */
export function ArchitectureMeaning({ architecture, headingLevel = 3 }: { architecture: Architecture; headingLevel?: 2 | 3 }) {
  const effective = describeEffectiveArchitecture(architecture);
  const H = headingLevel === 2 ? "h2" : "h3";
  return (
    <div className={styles.twoColumns}>
      <div>
        <H>Where the baseline is enforced</H>
        <p>{effective.baselineEnforcement ? `The baseline is enforced ${effective.baselineEnforcement.how}.` : null}</p>
        <H>Who edits what</H>
        <dl className="details">
          <div>
            <dt>Baseline policy</dt>
            <dd>{roles(effective.editing.baseline)}</dd>
          </div>
          <div>
            <dt>Fine-grained policy</dt>
            <dd>{roles(effective.editing.fineGrained)}</dd>
          </div>
          <div>
            <dt>Approves fine-grained changes</dt>
            <dd>
              {effective.editing.fineGrainedApprovedBy.length > 0
                ? roles(effective.editing.fineGrainedApprovedBy)
                : "Not needed: the editors are the security team"}
            </dd>
          </div>
          <div>
            <dt>Publishes fine-grained changes</dt>
            <dd>{roles(effective.editing.fineGrainedPublishedBy)}</dd>
          </div>
        </dl>
        <p>{effective.editing.summary}</p>
      </div>
      <div>
        <H>Delivery targets</H>
        <ul className="plain-list">
          {effective.deliveryTargets.map((t) => (
            <li key={t}>{DELIVERY_TARGET_LABELS[t]}</li>
          ))}
        </ul>
        <H>Consequences</H>
        <ul className="plain-list">
          {ARCHITECTURE_PROFILES[architecture].consequences.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}

export function CharacteristicsTable() {
  return (
    <div className="table-wrap" role="region" aria-labelledby="characteristics-heading" tabIndex={0}>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Aspect</span>
            </th>
            <th scope="col">Gateway</th>
            <th scope="col">Microgateway</th>
          </tr>
        </thead>
        <tbody>
          {CHARACTERISTICS.map((c) => (
            <tr key={c.aspect}>
              <th scope="row">{c.aspect}</th>
              <td>{c.gateway}</td>
              <td>{c.microgateway}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PolicySplitTable({ architecture }: { architecture: Architecture }) {
  return (
    <div className="table-wrap" role="region" aria-labelledby="split-heading" tabIndex={0}>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Setting</th>
            <th scope="col">Belongs to</th>
            <th scope="col">Lives in ({architecture})</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {POLICY_SPLIT.map((s) => (
            <tr key={s.setting}>
              <th scope="row">{s.setting}</th>
              <td className={s.layer === "baseline" ? styles.layerBaseline : undefined}>{s.layer === "baseline" ? "Baseline" : "Fine-grained"}</td>
              <td>{whereLayerLives(architecture, s.layer)}</td>
              <td>{s.why}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ArchitectureCards({ chosen }: { chosen?: Architecture }) {
  return (
    <ul className={styles.architectureCards}>
      {ARCHITECTURES.map((a) => (
        <li key={a} data-chosen={a === chosen}>
          <h3>{architectureTitle(a)}</h3>
          <p>{ARCHITECTURE_PROFILES[a].summary}</p>
          <p className="muted">Fits when: {ARCHITECTURE_PROFILES[a].fitsWhen.join("; ")}.</p>
        </li>
      ))}
    </ul>
  );
}

export function AnswersTable({ answers, id }: { answers: Answers; id: string }) {
  const entries = FACTOR_ORDER.filter((k) => answers[k] !== undefined);
  return (
    <div className="table-wrap" role="region" aria-labelledby={id} tabIndex={0}>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Question</th>
            <th scope="col">Answer</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((k) => (
            <tr key={k}>
              <th scope="row">{factorOf(k).question}</th>
              <td>{answerLabel(k, answers[k])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
