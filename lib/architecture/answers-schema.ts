import { z } from "zod";

// The questionnaire's answers: the stable factor ids and values the evaluation API
// accepts. Pure (no I/O): the API, the pages, the forms and the proxy-facing code all
// derive from these schemas, and types are inferred from them, never declared twice.

import {
  ARCHITECTURES,
  CHANGE_FREQUENCIES,
  FACTOR_IDS,
  KUBERNETES_KNOW_HOW,
  KUBERNETES_WORKLOADS,
  OPTIONAL_FACTORS,
  REQUIRED_FACTORS,
  SECURITY_KNOW_HOW,
  TEAM_PROCESSES,
} from "./factor-ids";

export {
  ARCHITECTURES,
  CHANGE_FREQUENCIES,
  FACTOR_IDS,
  KUBERNETES_KNOW_HOW,
  KUBERNETES_WORKLOADS,
  OPTIONAL_FACTORS,
  REQUIRED_FACTORS,
  SECURITY_KNOW_HOW,
  TEAM_PROCESSES,
};

export const architectureSchema = z.enum(ARCHITECTURES, { error: "must be A, B or C" });
export type Architecture = z.infer<typeof architectureSchema>;

// Messages read as a predicate after the field's name ("is required", "must be …").
const yesNo = z.boolean({ error: (issue) => (issue.input === undefined ? "is required" : "must be true or false") });
function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) => (issue.input === undefined ? "is required" : `must be one of: ${values.join(", ")}`),
  });
}

export const requiredFactorShape = {
  classicWorkloads: yesNo,
  kubernetesWorkloads: oneOf(KUBERNETES_WORKLOADS),
  kubernetesKnowHow: oneOf(KUBERNETES_KNOW_HOW),
  perimeterRequired: yesNo,
  zeroTrust: yesNo,
  sharedResponsibility: yesNo,
  changeFrequency: oneOf(CHANGE_FREQUENCIES),
  bundleWithApplication: yesNo,
};

// Optional factors sharpen the advice; leaving them out moves no score.
export const optionalFactorShape = {
  securityKnowHow: oneOf(SECURITY_KNOW_HOW).optional(),
  teamProcess: oneOf(TEAM_PROCESSES).optional(),
  gitOps: yesNo.optional(),
  regulatoryPerimeter: yesNo.optional(),
};

/** A complete set of answers: every required factor, optional ones as given, nothing else. */
export const answersSchema = z.strictObject({ ...requiredFactorShape, ...optionalFactorShape });
export type Answers = z.output<typeof answersSchema>;
export type FactorId = keyof Answers;
export type AnswerValue = NonNullable<Answers[FactorId]>;

/** What a draft holds: any subset of the answers, each still a valid value. */
export const partialAnswersSchema = answersSchema.partial();
export type PartialAnswers = z.output<typeof partialAnswersSchema>;

// The plain lists (factor-ids.ts) and the schemas name the same factors, in the same order.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const requiredListed: Same<(typeof REQUIRED_FACTORS)[number], keyof typeof requiredFactorShape> = true;
const optionalListed: Same<(typeof OPTIONAL_FACTORS)[number], keyof typeof optionalFactorShape> = true;
void requiredListed;
void optionalListed;
