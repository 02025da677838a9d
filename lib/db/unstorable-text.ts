// Text PostgreSQL cannot store: a NUL character (text refuses it: 22021; jsonb refuses
// \u0000: 22P05) and lone UTF-16 surrogates (no UTF-8 form; jsonb refuses the escape).
// Request input is walked for them before any schema or domain code sees it, so they
// become a 422 naming the field instead of a database error (issue 12).

const MAX_DEPTH = 64;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type UnstorableText = { path: string; message: string };

/** A NUL or any surrogate: only strings with one need the exact checks (a pair is storable). */
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

/** Why a string cannot be stored, or null when it can. */
export function unstorableReason(text: string): string | null {
  if (!SUSPECT.test(text)) return null;
  if (text.includes("\u0000")) return "must not contain a NUL character";
  if (LONE_SURROGATE.test(text)) return "must not contain unpaired UTF-16 surrogates";
  return null;
}

/** The first string (value or key) in `value` that cannot be stored, with its path from `root`. */
export function findUnstorableText(value: unknown, root: string): UnstorableText | null {
  // The path is built only for what is found: a proxy's batch holds tens of thousands of strings.
  const found = walk(value, 0);
  return found && { path: [root, ...found.path.reverse()].join("."), message: found.message };
}

type Found = { path: string[]; message: string };

function walk(value: unknown, depth: number): Found | null {
  if (typeof value === "string") {
    const message = unstorableReason(value);
    return message ? { path: [], message } : null;
  }
  if (value === null || typeof value !== "object") return null;
  if (depth > MAX_DEPTH) return { path: [], message: `is nested deeper than ${MAX_DEPTH} levels` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], depth + 1);
      if (found) {
        found.path.push(String(i));
        return found;
      }
    }
    return null;
  }
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const keyReason = unstorableReason(key);
    if (keyReason) return { path: [JSON.stringify(key)], message: `field name ${keyReason}` };
    const found = walk((value as Record<string, unknown>)[key], depth + 1);
    if (found) {
      found.path.push(key);
      return found;
    }
  }
  return null;
}
