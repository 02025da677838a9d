import { ARCHITECTURES, type Answers, type Architecture } from "./answers-schema";
import { ARCHITECTURE_NAMES } from "./architecture-names";
import { ARCHITECTURE_PROFILES } from "./architecture-profiles";
import type { Evaluation } from "./evaluate-answers";
import { answerLabel, factorOf } from "./factors";
import { unmetRequirements } from "./unmet-requirements";

// The parts of a decision record that follow from the answers and the architecture
// chosen: its default title, its consequences and why each alternative was not taken.
// Computed once, when the record is proposed, and stored with it, so the record keeps
// saying what it said even if Rampart's advice is refined later.

export type DecisionContent = {
  title: string;
  consequences: string[];
  alternatives: { architecture: Architecture; whyNot: string }[];
};

export function defaultDecisionTitle(architecture: Architecture, scopeLabel: string): string {
  return `Protect ${scopeLabel} with architecture ${architecture}: ${ARCHITECTURE_NAMES[architecture]}`;
}

/** The answers that counted most for `chosen` and against `other`, strongest first. */
function strongestDifferences(evaluation: Evaluation, chosen: Architecture, other: Architecture, limit: number) {
  return evaluation.reasons
    .map((r) => ({ reason: r, difference: r.effects[chosen] - r.effects[other] }))
    .filter((d) => d.difference > 0)
    .sort((x, y) => y.difference - x.difference)
    .slice(0, limit)
    .map(({ reason }) => `${factorOf(reason.factor).title}: “${answerLabel(reason.factor, reason.answer)}”`);
}

function whyNot(answers: Answers, evaluation: Evaluation, chosen: Architecture, other: Architecture, rationale: string): string {
  const ruledOut = evaluation.ruledOut.filter((r) => r.architecture === other);
  if (ruledOut.length > 0) return `Ruled out. ${[...new Set(ruledOut.map((r) => r.reason))].join(" ")}`;
  const scores = `It scored ${evaluation.scores[other]} against ${evaluation.scores[chosen]} for ${chosen}.`;
  if (other === evaluation.architecture) {
    return `Rampart recommended it (${evaluation.scores[other]} points against ${evaluation.scores[chosen]} for ${chosen}), but the team decided otherwise: ${rationale}`;
  }
  const unmet = unmetRequirements(answers, other).map((w) => w.message);
  const against = strongestDifferences(evaluation, chosen, other, 3);
  return [scores, unmet.join(" "), against.length > 0 ? `The answers that counted most against it: ${against.join("; ")}.` : ""].filter(Boolean).join(" ");
}

export function describeDecision({
  answers,
  evaluation,
  architecture,
  rationale,
  scopeLabel,
}: {
  answers: Answers;
  evaluation: Evaluation;
  architecture: Architecture;
  rationale: string;
  scopeLabel: string;
}): DecisionContent {
  const profile = ARCHITECTURE_PROFILES[architecture];
  const unmet = unmetRequirements(answers, architecture).map((w) => `Left unmet: ${w.message}`);
  const ruledOut = evaluation.ruledOut.filter((r) => r.architecture === architecture).map((r) => `Against Rampart's advice: ${r.reason}`);
  return {
    title: defaultDecisionTitle(architecture, scopeLabel),
    consequences: [...profile.consequences, ...ruledOut, ...unmet],
    alternatives: ARCHITECTURES.filter((a) => a !== architecture).map((other) => ({
      architecture: other,
      whyNot: whyNot(answers, evaluation, architecture, other, rationale),
    })),
  };
}
