import type { z } from "zod";
import type { FieldError } from "@/lib/errors/app-error";

// Neutral (lib/shared/): the domain reports field errors in AppError as the API does.

/**
 * Zod issues → field errors with a dotted path from the request root
 * (e.g. `body.upstreamUrl`, `query.limit`). Unknown keys get one error each,
 * pointing at the key itself, so a typo is named exactly.
 */
export function zodFieldErrors(error: z.ZodError, root: string): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const base = [root, ...issue.path.map(String)].filter(Boolean).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push({ path: base ? `${base}.${key}` : key, message: "Unknown field." });
    } else {
      out.push({ path: base || root, message: issue.message });
    }
  }
  return out;
}
