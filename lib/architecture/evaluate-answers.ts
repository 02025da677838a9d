import { ARCHITECTURES, FACTOR_IDS, type Answers, type AnswerValue, type Architecture, type FactorId } from "./answers-schema";
import { factorOf, optionOf, type Effects } from "./factors";
import { findWarnings } from "./find-warnings";
import type { Warning } from "./warning";
import { unmetRequirements } from "./unmet-requirements";

// Answers → recommendation. Pure and deterministic: the same answers always give the
// same result, on the server, in the browser and in a decision record years later.
//
// 1. Each answer adds the points of its row in factors.ts to each architecture.
// 2. Architectures that cannot work at all with the answers are ruled out (B cannot
//    protect classic applications; without Kubernetes there are no microgateways).
// 3. The highest-scoring architecture that is not ruled out is recommended. On a tie,
//    the one leaving fewer of your stated requirements unmet wins; if that ties too,
//    the one with fewer moving parts — C, then B, then A (A runs both components).
//    A tie is always reported as a warning rather than hidden.
// 4. Contradictory answers are reported, not resolved (find-warnings.ts).
// 5. Every single answer change that would change the recommendation is listed.

export type Reason = {
  factor: FactorId;
  answer: AnswerValue;
  /** Points this answer added to (or took from) each architecture. */
  effects: Effects;
  explanation: string;
};

export type RuledOut = { architecture: Architecture; factor: FactorId; reason: string };

export type Flip = {
  factor: FactorId;
  /** The current answer; null for an optional factor left unanswered. */
  from: AnswerValue | null;
  to: AnswerValue;
  /** The architecture that would be recommended after this one change. */
  architecture: Architecture;
};

export type Evaluation = {
  architecture: Architecture;
  scores: Record<Architecture, number>;
  /** All three, best first: those not ruled out (by score, then the tie-breaks), then the ruled-out ones. */
  ranking: Architecture[];
  /** Points ahead of the best other architecture not ruled out (0 on a tie); null when no other is possible. */
  margin: number | null;
  ruledOut: RuledOut[];
  reasons: Reason[];
  warnings: Warning[];
  flips: Flip[];
};

/** The last tie-break, fewer moving parts first: C (a gateway), B (microgateways), A (both). */
const TIE_ORDER: readonly Architecture[] = ["C", "B", "A"];

type Core = Omit<Evaluation, "warnings" | "flips">;

function score(answers: Answers): Core {
  const scores: Record<Architecture, number> = { A: 0, B: 0, C: 0 };
  const reasons: Reason[] = [];
  const ruledOut: RuledOut[] = [];
  for (const factor of FACTOR_IDS) {
    const answer = answers[factor];
    if (answer === undefined) continue;
    const option = optionOf(factor, answer);
    // The schema admits only the values in the table; a missing row is a programming error.
    if (!option) throw new Error(`no scoring row for ${factor} = ${String(answer)}`);
    for (const architecture of ARCHITECTURES) scores[architecture] += option.effects[architecture];
    reasons.push({ factor, answer, effects: { ...option.effects }, explanation: option.explanation });
    for (const architecture of ARCHITECTURES) {
      const reason = option.rulesOut?.[architecture];
      if (reason) ruledOut.push({ architecture, factor, reason });
    }
  }
  const isRuledOut = (a: Architecture) => ruledOut.some((r) => r.architecture === a);
  const unmet = (a: Architecture) => unmetRequirements(answers, a).length;
  const byScore = (x: Architecture, y: Architecture) => scores[y] - scores[x] || unmet(x) - unmet(y) || TIE_ORDER.indexOf(x) - TIE_ORDER.indexOf(y);
  const open = ARCHITECTURES.filter((a) => !isRuledOut(a)).sort(byScore);
  const closed = ARCHITECTURES.filter(isRuledOut).sort(byScore);
  // C can always be built (a gateway in front of whatever exists); should a future rule
  // ever rule out all three, fall back to the plain ranking rather than recommend nothing.
  const ranking = open.length > 0 ? [...open, ...closed] : closed;
  const architecture = ranking[0]!;
  const runnerUp = open.length > 1 ? open[1]! : null;
  return {
    architecture,
    scores,
    ranking,
    margin: runnerUp ? scores[architecture] - scores[runnerUp] : null,
    ruledOut,
    reasons,
  };
}

/** Every answer change, one at a time, that would change the recommendation. */
export function findFlips(answers: Answers, current: Architecture = score(answers).architecture): Flip[] {
  const flips: Flip[] = [];
  for (const factor of FACTOR_IDS) {
    const from = answers[factor];
    for (const option of factorOf(factor).options) {
      if (option.value === from) continue;
      const changed = { ...answers, [factor]: option.value } as Answers;
      const architecture = score(changed).architecture;
      if (architecture !== current) flips.push({ factor, from: from ?? null, to: option.value, architecture });
    }
  }
  return flips;
}

export function evaluateAnswers(answers: Answers): Evaluation {
  const core = score(answers);
  return { ...core, warnings: findWarnings(answers, core), flips: findFlips(answers, core.architecture) };
}
