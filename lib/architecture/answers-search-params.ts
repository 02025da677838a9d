import { zodFieldErrors } from "@/lib/shared/zod-field-errors";
import type { FieldError } from "@/lib/errors/app-error";
import { answersSchema, FACTOR_IDS, partialAnswersSchema, type Answers, type PartialAnswers } from "./answers-schema";

// The shareable result link carries the answers in its query string
// (`/architecture/result?classicWorkloads=true&kubernetesWorkloads=some&…`): readable,
// stable, and it needs nothing stored, so a link pasted into a chat keeps working for
// anyone, signed in or not. The same strict schema as the API decides what is valid.

export type RawSearchParams = Record<string, string | string[] | undefined>;

// Writing a link needs no schema: the questionnaire (in the browser) imports it from factor-ids.ts.
export { answersToSearchParams } from "./factor-ids";

/** Query-string values are text; booleans arrive as "true"/"false". Anything else stays as given, for the schema to refuse. */
function fromText(value: string): unknown {
  if (value === "true") return true;
  if (value === "false") return false;
  return value;
}

function pick(raw: RawSearchParams): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const factor of FACTOR_IDS) {
    const value = raw[factor];
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== "") picked[factor] = fromText(first);
  }
  return picked;
}

export type ParsedAnswers = { complete: true; answers: Answers } | { complete: false; answers: PartialAnswers; errors: FieldError[] };

/**
 * The answers in a result link. Keys other than factor ids are ignored (a link may carry
 * `revisit=`); an invalid value is reported and dropped so the questionnaire can ask again.
 */
export function parseAnswersSearchParams(raw: RawSearchParams): ParsedAnswers {
  const picked = pick(raw);
  const full = answersSchema.safeParse(picked);
  if (full.success) return { complete: true, answers: full.data };
  const errors = zodFieldErrors(full.error, "answers");
  for (const issue of full.error.issues) delete picked[String(issue.path[0])];
  const partial = partialAnswersSchema.safeParse(picked);
  return { complete: false, answers: partial.success ? partial.data : {}, errors };
}
