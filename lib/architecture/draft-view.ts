import { answersSchema, partialAnswersSchema } from "./answers-schema";
import type { DraftView } from "./architecture-schemas";

/** Anonymous drafts untouched this long are gone: the link is their only key. */
export const ANONYMOUS_DRAFT_DAYS = 30;

export function toDraftView(row: {
  id: string;
  ownerId: string | null;
  answers: unknown;
  step: number;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}): Omit<DraftView, "createdAt" | "updatedAt"> & { createdAt: Date; updatedAt: Date } {
  // Stored answers were validated on the way in; anything the schema no longer accepts
  // (a value renamed since) is dropped rather than failing the whole draft.
  const parsed = partialAnswersSchema.safeParse(row.answers);
  const answers = parsed.success ? parsed.data : {};
  return {
    id: row.id,
    answers,
    step: row.step,
    complete: answersSchema.safeParse(answers).success,
    owned: row.ownerId !== null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}

export function anonymousDraftCutoff(now = Date.now()): Date {
  return new Date(now - ANONYMOUS_DRAFT_DAYS * 86_400_000);
}
