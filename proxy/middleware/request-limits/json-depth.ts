// Nesting depth of a JSON text without parsing it: one pass over the bytes,
// strings skipped. A body nested deeper than the limit is refused before any
// parser (the detection engine's, the OpenAPI validator's, the application's)
// has to recurse through it.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** True when some array/object nesting exceeds maxDepth. */
export function exceedsJsonDepth(body: Buffer, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return false;
}
