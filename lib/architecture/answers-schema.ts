import { z } from "zod";

// The questionnaire's answers: the stable factor ids and values the evaluation API
// accepts. Pure (no I/O): the API, the pages, the forms and the proxy-facing code all
// derive from these schemas, and types are inferred from them, never declared twice.

export const ARCHITECTURES = ["A", "B", "C"] as const;
export const architectureSchema = z.enum(ARCHITECTURES, { error: "must be A, B or C" });
export type Architecture = z.infer<typeof architectureSchema>;

export const KUBERNETES_WORKLOADS = ["none", "some", "most"] as const;
export const KUBERNETES_KNOW_HOW = ["low", "medium", "high"] as const;
export const CHANGE_FREQUENCIES = ["frequent", "moderate", "infrequent"] as const;
export const SECURITY_KNOW_HOW = ["centralised", "spread"] as const;
export const TEAM_PROCESSES = ["ticketing", "devsecops"] as const;

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

export const REQUIRED_FACTORS = Object.keys(requiredFactorShape) as (keyof typeof requiredFactorShape)[];
export const OPTIONAL_FACTORS = Object.keys(optionalFactorShape) as (keyof typeof optionalFactorShape)[];
export const FACTOR_IDS: readonly FactorId[] = [...REQUIRED_FACTORS, ...OPTIONAL_FACTORS];

export function isFactorId(value: string): value is FactorId {
  return (FACTOR_IDS as readonly string[]).includes(value);
}
