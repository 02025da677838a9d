// Request headers whose syntax HTTP fixes (Accept, Accept-Language, Range,
// If-None-Match, Cache-Control, Content-Type, Priority, Sec-CH-UA, …) are
// validated against that grammar rather than skipped: a value outside it
// ("Accept: x' UNION SELECT 1--", "Range: <script>") is not a header any
// client sends, so it is refused. Free text the grammar does allow (quoted
// strings) is handed to the deny rules as ordinary header text
// (quotedStrings). Each element is matched by a pattern without nested or
// overlapping repetition: linear in the value.

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED = '"[^"\\\\\\u0000-\\u0008\\u000a-\\u001f\\u007f]*"';
const PARAM = `[ \\t]*;[ \\t]*${TOKEN}[ \\t]*=[ \\t]*(?:${TOKEN}|${QUOTED})`;
const WEIGHT_ONLY = `(?:[ \\t]*;[ \\t]*[qQ][ \\t]*=[ \\t]*(?:0(?:\\.\\d{0,3})?|1(?:\\.0{0,3})?))?`;
const SF_BARE = `(?:\\?[01]|-?\\d{1,15}(?:\\.\\d{1,3})?|[A-Za-z*][!#$%&'*+.^_\`|~:/0-9A-Za-z-]*|${QUOTED})`;
const SF_PARAMS = `(?:;[a-z*][a-z0-9_.*-]*(?:=${SF_BARE})?)*`;
const HTTP_DATE =
  "[A-Za-z]{3},? ?\\d{1,2}[ -][A-Za-z]{3}[ -]\\d{2,4} \\d{2}:\\d{2}:\\d{2}(?: GMT)?|[A-Za-z]{3} [A-Za-z]{3} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} \\d{4}|[A-Za-z]+, \\d{2}-[A-Za-z]{3}-\\d{2} \\d{2}:\\d{2}:\\d{2} GMT";
const ENTITY_TAG = '(?:W/)?"[\\u0021\\u0023-\\u007e\\u0080-\\u00ff]*"';

const element = (pattern: string): RegExp => new RegExp(`^(?:${pattern})$`);

interface Grammar {
  /** A comma-separated list (RFC 9110 §5.6.1): each non-empty element must match. */
  list: boolean;
  pattern: RegExp;
}

const list = (pattern: string): Grammar => ({ list: true, pattern: element(pattern) });
const single = (pattern: string): Grammar => ({ list: false, pattern: element(pattern) });

const GRAMMARS: ReadonlyMap<string, Grammar> = new Map([
  ["accept", list(`(?:\\*/\\*|${TOKEN}/\\*|${TOKEN}/${TOKEN})(?:${PARAM})*`)],
  ["accept-charset", list(`${TOKEN}${WEIGHT_ONLY}`)],
  ["accept-encoding", list(`${TOKEN}${WEIGHT_ONLY}`)],
  ["accept-language", list(`(?:\\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)${WEIGHT_ONLY}`)],
  // Content-Type is read by parseMediaType (request-reading), Content-Length by Node's parser.
  ["content-encoding", list(TOKEN)],
  ["cache-control", list(`${TOKEN}(?:=(?:${TOKEN}|${QUOTED}))?`)],
  ["pragma", list(`${TOKEN}(?:=(?:${TOKEN}|${QUOTED}))?`)],
  ["connection", list(TOKEN)],
  ["keep-alive", list(`${TOKEN}(?:=(?:${TOKEN}|${QUOTED}))?`)],
  ["te", list(`${TOKEN}(?:${PARAM})*`)],
  ["upgrade", list(`${TOKEN}(?:/${TOKEN})?`)],
  ["expect", single("100-[Cc][Oo][Nn][Tt][Ii][Nn][Uu][Ee]")],
  ["if-match", single(`\\*|${ENTITY_TAG}(?:[ \\t]*,[ \\t]*${ENTITY_TAG})*`)],
  ["if-none-match", single(`\\*|${ENTITY_TAG}(?:[ \\t]*,[ \\t]*${ENTITY_TAG})*`)],
  ["if-modified-since", single(HTTP_DATE)],
  ["if-unmodified-since", single(HTTP_DATE)],
  ["if-range", single(`${ENTITY_TAG}|${HTTP_DATE}`)],
  ["range", single(`[A-Za-z]+=[ \\t]*(?:\\d+-\\d*|-\\d+)(?:[ \\t]*,[ \\t]*(?:\\d+-\\d*|-\\d+))*`)],
  ["max-forwards", single("\\d{1,10}")],
  ["dnt", single("[01]")],
  ["upgrade-insecure-requests", single("1")],
  ["sec-gpc", single("1")],
  ["sec-fetch-site", single(TOKEN)],
  ["sec-fetch-mode", single(TOKEN)],
  ["sec-fetch-dest", single(TOKEN)],
  ["sec-fetch-user", single("\\?[01]")],
  ["sec-ch-ua", list(`${QUOTED}${SF_PARAMS}`)],
  ["sec-ch-ua-mobile", single("\\?[01]")],
  ["sec-ch-ua-platform", single(QUOTED)],
  ["sec-purpose", list(`${SF_BARE}${SF_PARAMS}`)],
  ["purpose", single(TOKEN)],
  // RFC 9218: a Structured Fields dictionary (u=0..7, i)
  ["priority", list(`[a-z*][a-z0-9_.*-]*(?:=${SF_BARE})?${SF_PARAMS}`)],
  ["origin", single("null|[A-Za-z][A-Za-z0-9+.-]*://(?:[A-Za-z0-9_.-]+|\\[[0-9A-Fa-f:.]+\\])(?::\\d{1,5})?")],
]);

/** Known headers with a grammar; the deny rules read only their quoted strings as free text. */
export function hasGrammar(lowerName: string): boolean {
  return GRAMMARS.has(lowerName);
}

/** The first header outside its grammar, as [name, excerpt], or null. */
export function findHeaderSyntaxError(headers: ReadonlyArray<readonly [string, string]>): readonly [string, string] | null {
  for (const [name, value] of headers) {
    const grammar = GRAMMARS.get(name.length > 30 ? "" : name.toLowerCase());
    if (grammar === undefined) continue;
    if (!matches(grammar, value.trim())) return [name, value];
  }
  return null;
}

function matches(grammar: Grammar, value: string): boolean {
  if (!grammar.list) return grammar.pattern.test(value);
  for (const item of splitList(value)) {
    if (item.length === 0) continue; // empty list elements are allowed (RFC 9110 §5.6.1.2)
    if (!grammar.pattern.test(item)) return false;
  }
  return true;
}

/** Splits a list on commas outside quoted strings; elements trimmed. */
function splitList(value: string): string[] {
  const items: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 44 && !quoted) {
      items.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  items.push(value.slice(start).trim());
  return items;
}

/** The contents of the quoted strings in a header value: the only free text a grammar leaves. */
export function quotedStrings(value: string): string[] {
  const out: string[] = [];
  let at = value.indexOf('"');
  while (at >= 0) {
    const close = value.indexOf('"', at + 1);
    if (close < 0) break;
    if (close > at + 1) out.push(value.slice(at + 1, close));
    at = value.indexOf('"', close + 1);
  }
  return out;
}
