import type { FactorId } from "./answers-schema";

/** What the evaluation points out instead of silently resolving (see find-warnings.ts for each kind). */
export type WarningKind = "contradiction" | "caution" | "unmet-requirement" | "close-call";

export type Warning = {
  /** Stable identifier, e.g. "zero-trust-without-kubernetes". */
  code: string;
  kind: WarningKind;
  /** The factors involved, so the questionnaire can link back to them. */
  factors: FactorId[];
  message: string;
};
