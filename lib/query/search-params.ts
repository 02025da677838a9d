import type { z } from "zod";
import { zodFieldErrors } from "@/lib/shared/zod-field-errors";
import type { FieldError } from "@/lib/errors/app-error";

export type RawSearchParams = Record<string, string | string[] | undefined>;

/**
 * Reads a page's search params with the API's own query schema. Only the keys the
 * schema names are read (first value wins); an invalid value is reported and dropped,
 * so a bad link still renders a page with the rest of its filters.
 */
export function parseSearchParams<S extends z.ZodType>(schema: S, raw: RawSearchParams, keys: readonly string[]): { query: z.output<S>; errors: FieldError[] } {
  const picked: Record<string, string> = {};
  for (const key of keys) {
    const value = raw[key];
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== "") picked[key] = first;
  }
  const parsed = schema.safeParse(picked);
  if (parsed.success) return { query: parsed.data, errors: [] };
  const errors = zodFieldErrors(parsed.error, "query");
  for (const issue of parsed.error.issues) delete picked[String(issue.path[0])];
  const retried = schema.safeParse(picked);
  return { query: retried.success ? retried.data : schema.parse({}), errors };
}

const LOCAL_MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/**
 * The filter forms send datetime-local values ("2025-01-31T09:30") for `from` and `to`, meant as
 * UTC; the API's schemas want an offset. "to" covers its whole minute.
 */
export function withUtcMinutes(raw: RawSearchParams): RawSearchParams {
  const out = { ...raw };
  for (const [key, suffix] of [
    ["from", ":00Z"],
    ["to", ":59.999Z"],
  ] as const) {
    const value = out[key];
    if (typeof value === "string" && LOCAL_MINUTE.test(value)) out[key] = `${value}${suffix}`;
  }
  return out;
}
