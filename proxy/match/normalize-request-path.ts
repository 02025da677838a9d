// The request path as every path rule sees it: percent-decoded, backslashes
// read as slashes, ";params" dropped from segments, empty and dot segments
// resolved, no trailing slash. Dot segments are resolved on the raw "/"
// structure, so an encoded slash can never climb out of its segment
// ("/admin/..%2Fhealth" stays under /admin). A decoded segment that would itself
// form a dot segment if an upstream split it on its encoded slash
// ("..%2F", "%2e%2e%5c") is ambiguous between the two readings: null, refused as
// malformed (400), so no reading can bypass a path rule.

const SLASH = 47;
const BACKSLASH = 92;
const PERCENT = 37;
const SEMICOLON = 59;
const DOT = 46;

/** The normalised path, or null when the path is ambiguous. `raw` is the path without the query. */
export function normalizeRequestPath(raw: string): string | null {
  if (isAlreadyNormal(raw)) return raw;
  const segments: string[] = [];
  let start = 0;
  const n = raw.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? raw.charCodeAt(i) : SLASH;
    if (c !== SLASH && c !== BACKSLASH) continue;
    if (i > start) {
      let segment = raw.slice(start, i);
      const semi = segment.indexOf(";");
      if (semi >= 0) segment = segment.slice(0, semi);
      if (segment.indexOf("%") >= 0) {
        segment = percentDecode(segment);
        if (hasHiddenDotSegment(segment)) return null;
      }
      if (segment === "" || segment === ".") {
        // skipped
      } else if (segment === "..") segments.pop();
      else segments.push(segment);
    }
    start = i + 1;
  }
  return segments.length === 0 ? "/" : `/${segments.join("/")}`;
}

/** No byte that normalisation would change: the common case costs one scan and no allocation. */
function isAlreadyNormal(raw: string): boolean {
  const n = raw.length;
  if (n === 0 || raw.charCodeAt(0) !== SLASH) return false;
  if (n === 1) return true;
  if (raw.charCodeAt(n - 1) === SLASH) return false;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c === PERCENT || c === BACKSLASH || c === SEMICOLON) return false;
    if (c === SLASH) {
      const next = raw.charCodeAt(i + 1);
      if (next === SLASH) return false;
      if (next === DOT) {
        const a = raw.charCodeAt(i + 2);
        if (Number.isNaN(a) || a === SLASH) return false;
        if (a === DOT) {
          const b = raw.charCodeAt(i + 3);
          if (Number.isNaN(b) || b === SLASH) return false;
        }
      }
    }
  }
  return true;
}

function hasHiddenDotSegment(decoded: string): boolean {
  if (decoded.indexOf("/") < 0 && decoded.indexOf("\\") < 0) return false;
  for (const piece of decoded.split(/[/\\]/)) if (piece === "." || piece === "..") return true;
  return false;
}

/** Percent-decodes to UTF-8 (invalid sequences become U+FFFD); malformed escapes stay literal. */
export function percentDecode(text: string): string {
  const bytes = Buffer.allocUnsafe(text.length * 3);
  let len = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === PERCENT && i + 2 < text.length && isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2))) {
      bytes[len++] = (hexValue(text.charCodeAt(i + 1)) << 4) | hexValue(text.charCodeAt(i + 2));
      i += 2;
    } else if (c < 0x100) {
      // Node's HTTP/1 parser hands over request-target bytes as latin1 characters: they are the raw bytes.
      bytes[len++] = c;
    } else {
      const cp = text.codePointAt(i)!;
      len += bytes.write(String.fromCodePoint(cp), len, "utf8");
      if (cp > 0xffff) i++;
    }
  }
  return bytes.toString("utf8", 0, len);
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function hexValue(c: number): number {
  return c <= 57 ? c - 48 : c <= 70 ? c - 55 : c - 87;
}
