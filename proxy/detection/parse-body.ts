// The request parts the engine inspects, read the way backends read them. The
// proxy refuses what these readers call ambiguous before the engine runs
// (proxy/middleware/request-reading); the engine, run on its own, inspects
// what they can read and the raw text otherwise. Every reader is linear in its
// input and never throws.

import { isUtf8 } from "node:buffer";
import { SaxesParser } from "saxes";
import { percentDecode } from "./normalise.js";

export type PairVisitor = (name: string, value: string) => void;

/** application/x-www-form-urlencoded and query strings: raw (still encoded) name/value pairs. Returns how many pairs there were. */
export function forEachPair(s: string, visit: PairVisitor, maxPairs = Infinity): number {
  if (s.length === 0) return 0;
  let start = 0;
  let count = 0;
  while (start <= s.length) {
    let amp = s.indexOf("&", start);
    if (amp < 0) amp = s.length;
    if (amp > start) {
      if (count++ < maxPairs) {
        const eq = s.indexOf("=", start);
        if (eq >= 0 && eq < amp) visit(s.slice(start, eq), s.slice(eq + 1, amp));
        else visit(s.slice(start, amp), "");
      }
    }
    start = amp + 1;
  }
  return count;
}

/** Cookie header: "a=1; b=2". Returns how many cookies there were. */
export function forEachCookie(header: string, visit: PairVisitor, maxCookies = Infinity): number {
  let start = 0;
  let count = 0;
  while (start < header.length) {
    let semi = header.indexOf(";", start);
    if (semi < 0) semi = header.length;
    let a = start;
    while (a < semi && header.charCodeAt(a) === 32) a++;
    if (semi > a) {
      if (count++ < maxCookies) {
        const eq = header.indexOf("=", a);
        if (eq >= 0 && eq < semi) visit(header.slice(a, eq).trim(), header.slice(eq + 1, semi).trim());
        else visit(header.slice(a, semi).trim(), "");
      }
    }
    start = semi + 1;
  }
  return count;
}

/** Parameter of a header value such as Content-Type: boundary=…, charset=… (first occurrence; see parseMediaType for the strict reading). */
export function headerParam(value: string, param: string): string | null {
  const parsed = parseParameters(value, value.indexOf(";"));
  if (typeof parsed === "string") return null;
  return parsed.get(param.toLowerCase()) ?? null;
}

export interface MediaType {
  /** "type/subtype", lower-case. */
  type: string;
  /** Parameter names lower-case; values unquoted. */
  params: Map<string, string>;
}

const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") TCHAR[c.charCodeAt(0)] = 1;

function isTchar(c: number): boolean {
  return c < 128 && TCHAR[c] === 1;
}

/**
 * media-type = type "/" subtype *( OWS ";" OWS parameter ), parameter values
 * a token or a quoted-string (RFC 9110 §8.3.1). A repeated parameter
 * ("boundary=a; boundary=b") has no single meaning: an error.
 */
export function parseMediaType(value: string): MediaType | string {
  let i = 0;
  const n = value.length;
  while (i < n && isBlank(value.charCodeAt(i))) i++;
  const start = i;
  while (i < n && isTchar(value.charCodeAt(i))) i++;
  if (i === start || value.charCodeAt(i) !== 47) return "not a media type";
  i++;
  const sub = i;
  while (i < n && isTchar(value.charCodeAt(i))) i++;
  if (i === sub) return "not a media type";
  const type = value.slice(start, i).toLowerCase();
  let end = i;
  while (end < n && isBlank(value.charCodeAt(end))) end++;
  if (end < n && value.charCodeAt(end) !== 59) return "text after the media type";
  const params = parseParameters(value, end < n ? end : -1);
  if (typeof params === "string") return params;
  return { type, params };
}

/** `;`-separated parameters from `from` (the first ";"), or an error. Backslash escapes are refused: backends disagree on them. */
function parseParameters(value: string, from: number): Map<string, string> | string {
  const params = new Map<string, string>();
  if (from < 0) return params;
  const n = value.length;
  let i = from;
  while (i < n) {
    if (value.charCodeAt(i) !== 59) return 'parameters must be separated by ";"';
    i++;
    while (i < n && isBlank(value.charCodeAt(i))) i++;
    if (i === n) break; // a trailing ";" is tolerated, as browsers and servers do
    const nameStart = i;
    while (i < n && isTchar(value.charCodeAt(i))) i++;
    if (i === nameStart || value.charCodeAt(i) !== 61) return "a parameter without a value";
    const name = value.slice(nameStart, i).toLowerCase();
    i++;
    let v: string;
    if (value.charCodeAt(i) === 34) {
      const close = value.indexOf('"', i + 1);
      if (close < 0) return "an unterminated quoted string";
      v = value.slice(i + 1, close);
      if (v.indexOf("\\") >= 0) return "a backslash in a quoted parameter";
      for (let j = 0; j < v.length; j++) if (v.charCodeAt(j) < 32 && v.charCodeAt(j) !== 9) return "a control character in a parameter";
      i = close + 1;
    } else {
      const vs = i;
      while (i < n && isTchar(value.charCodeAt(i))) i++;
      v = value.slice(vs, i);
    }
    if (params.has(name)) return `parameter "${name}" given twice`;
    params.set(name, v);
    while (i < n && isBlank(value.charCodeAt(i))) i++;
  }
  return params;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Charsets whose bytes every backend decodes alike for ASCII text (UTF-16/32 and EBCDIC would hide a payload from a byte-level reading). */
const READABLE_CHARSETS = new Set(["utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "iso8859-1", "latin1", "l1", "iso_8859-1", "windows-1252", "cp1252"]);

export function isReadableCharset(charset: string): boolean {
  return READABLE_CHARSETS.has(charset.trim().toLowerCase());
}

/** A byte-order mark of UTF-16/32, or NUL bytes: text in an encoding other than the one declared. */
export function looksLikeWideText(body: Buffer): boolean {
  if (body.length >= 2 && ((body[0] === 0xff && body[1] === 0xfe) || (body[0] === 0xfe && body[1] === 0xff))) return true;
  return body.indexOf(0) >= 0;
}

/** Text a backend will read as text: valid UTF-8 without binary control bytes. */
export function isTextLike(content: Buffer): boolean {
  for (let i = 0; i < content.length; i++) {
    const c = content[i]!;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) return false;
    if (c === 127) return false;
  }
  return isUtf8(content);
}

// ------------------------------------------------------------------ multipart

/** Headers that name an uploaded file (raw-body uploads), inspected as file names. */
export const FILENAME_HEADERS: ReadonlySet<string> = new Set(["x-filename", "x-file-name"]);

/**
 * The extensions a server may act on in an uploaded file's name, lower case:
 * every dot-separated segment after the first (Apache's mod_mime runs
 * shell.php.jpg as PHP), in the last path segment, cut at ";" (IIS:
 * shell.asp;.jpg) and ":" (NTFS streams: shell.aspx::$DATA), blanks and
 * trailing dots dropped (Windows saves "shell.php. " as shell.php). Read as
 * sent and percent-decoded, for an application that decodes the name.
 */
export function fileNameExtensions(filename: string): string[] {
  const found = new Set<string>();
  for (const form of filename.indexOf("%") >= 0 ? [filename, percentDecode(filename, false)] : [filename]) {
    let name = form.toLowerCase();
    const slash = Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\"));
    if (slash >= 0) name = name.slice(slash + 1);
    const cut = name.search(/[;:\u0000]/);
    if (cut >= 0) name = name.slice(0, cut);
    const segments = name.split(".");
    for (let i = 1; i < segments.length; i++) {
      const extension = segments[i]!.trim();
      if (extension.length > 0) found.add(extension);
    }
  }
  return [...found];
}

export interface MultipartPart {
  name: string;
  filename: string | null;
  contentType: string | null;
  content: Buffer;
}

export type MultipartResult = { ok: true; parts: MultipartPart[] } | { ok: false; reason: string };

const CRLF = Buffer.from("\r\n");
const MAX_PART_HEADER_BYTES = 8 * 1024;

/** A boundary as RFC 2046 §5.1.1 allows it: 1–70 bchars, not ending in a space. */
export function isValidBoundary(boundary: string): boolean {
  return boundary.length >= 1 && boundary.length <= 70 && /^[0-9A-Za-z'()+_,\-./:=? ]*[0-9A-Za-z'()+_,\-./:=?]$/.test(boundary);
}

/**
 * multipart/* per RFC 2046 and RFC 7578, strictly: a delimiter counts only at
 * the start of a line and must end its line (or close the body); the boundary
 * must not appear anywhere inside a part (RFC 2046 forbids it, so a reader
 * that finds it mid-line is reading a different body); no preamble or
 * epilogue text; part headers without folding, Content-Disposition and
 * Content-Type at most once, no Content-Transfer-Encoding; form-data
 * parameters parsed as quoted strings, each once, no `filename*`; a file part
 * with `filename=""` must be empty. Any of these failing is an error: a
 * backend could read the body another way.
 */
export function parseMultipart(body: Buffer, boundary: string, formData = true): MultipartResult {
  if (!isValidBoundary(boundary)) return { ok: false, reason: "invalid boundary" };
  const delimiter = Buffer.from(`--${boundary}`, "latin1");
  let pos: number;
  if (body.subarray(0, delimiter.length).equals(delimiter)) pos = 0;
  else if (body.subarray(0, 2).equals(CRLF) && body.subarray(2, 2 + delimiter.length).equals(delimiter)) pos = 2;
  else return { ok: false, reason: body.indexOf(delimiter) < 0 ? "no part found" : "text before the first boundary" };
  const parts: MultipartPart[] = [];
  for (;;) {
    let i = pos + delimiter.length;
    if (body[i] === 45 && body[i + 1] === 45) {
      // close delimiter: only line breaks and blanks may follow
      for (let j = i + 2; j < body.length; j++) {
        const c = body[j]!;
        if (c !== 13 && c !== 10 && c !== 32 && c !== 9) return { ok: false, reason: "text after the closing boundary" };
      }
      break;
    }
    while (body[i] === 32 || body[i] === 9) i++;
    if (body[i] !== 13 || body[i + 1] !== 10) return { ok: false, reason: "a boundary line with more text" };
    const headerStart = i + 2;
    const headerEnd = body.indexOf("\r\n\r\n", headerStart, "latin1");
    const emptyHeaders = body[headerStart] === 13 && body[headerStart + 1] === 10;
    if (!emptyHeaders && (headerEnd < 0 || headerEnd - headerStart > MAX_PART_HEADER_BYTES)) return { ok: false, reason: "part headers without an end" };
    const contentStart = emptyHeaders ? headerStart + 2 : headerEnd + 4;
    const next = findDelimiter(body, delimiter, contentStart);
    if (next < 0) return { ok: false, reason: "no closing boundary" };
    const content = body.subarray(contentStart, next);
    // RFC 2046: the boundary must not occur inside a part. Found here it is a second reading of the body.
    if (content.indexOf(delimiter) >= 0) return { ok: false, reason: "the boundary inside a part" };
    const part = readPartHeaders(emptyHeaders ? "" : body.toString("latin1", headerStart, headerEnd), content, formData, parts.length);
    if (typeof part === "string") return { ok: false, reason: part };
    parts.push(part);
    pos = next + 2;
  }
  if (parts.length === 0) return { ok: false, reason: "no part found" };
  return { ok: true, parts };
}

/** The next "\r\n--boundary" at or after `from` (index of the CR), or -1. */
function findDelimiter(body: Buffer, delimiter: Buffer, from: number): number {
  // A part may be empty: its content ends where the delimiter line starts.
  let at = from;
  for (;;) {
    const found = body.indexOf(delimiter, at);
    if (found < 0) return -1;
    if (found >= from + 2 && body[found - 2] === 13 && body[found - 1] === 10) return found - 2;
    at = found + 1;
  }
}

function readPartHeaders(text: string, content: Buffer, formData: boolean, index: number): MultipartPart | string {
  let disposition: string | null = null;
  let contentType: string | null = null;
  if (text.length > 0) {
    for (const line of text.split("\r\n")) {
      if (line.length === 0) return "an empty part header line";
      const first = line.charCodeAt(0);
      if (first === 32 || first === 9) return "a folded part header";
      if (line.indexOf("\n") >= 0 || line.indexOf("\r") >= 0) return "a bare line break in part headers";
      const colon = line.indexOf(":");
      if (colon <= 0) return "a part header without a name";
      for (let j = 0; j < colon; j++) if (!isTchar(line.charCodeAt(j))) return "an invalid part header name";
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === "content-disposition") {
        if (disposition !== null) return "two Content-Disposition headers in a part";
        disposition = value;
      } else if (name === "content-type") {
        if (contentType !== null) return "two Content-Type headers in a part";
        contentType = value;
      } else if (name === "content-transfer-encoding") return "Content-Transfer-Encoding in a part";
    }
  }
  let name = String(index);
  let filename: string | null = null;
  if (formData || disposition !== null) {
    if (disposition === null) return "a part without Content-Disposition";
    const semi = disposition.indexOf(";");
    const kind = (semi < 0 ? disposition : disposition.slice(0, semi)).trim().toLowerCase();
    if (formData && kind !== "form-data") return "a part that is not form-data";
    const params = parseParameters(disposition, semi);
    if (typeof params === "string") return `Content-Disposition: ${params}`;
    if (params.has("filename*") || params.has("name*")) return "an extended (RFC 5987) parameter in Content-Disposition";
    const named = params.get("name");
    if (formData && (named === undefined || named.length === 0)) return "a part without a name";
    if (named !== undefined) name = named;
    filename = params.get("filename") ?? null;
    if (filename === "" && content.length > 0) return "a file part with an empty filename and content";
  }
  if (contentType !== null) {
    const media = parseMediaType(contentType);
    if (typeof media === "string") return `part Content-Type: ${media}`;
    const charset = media.params.get("charset");
    if (charset !== undefined && !isReadableCharset(charset)) return `part charset ${charset}`;
  }
  return { name, filename, contentType, content };
}

// ------------------------------------------------------------------------ XML

export interface XmlNode {
  /** Element name, "name@attribute" for an attribute value, "" for the whole document's text and the doctype. */
  name: string;
  /** Text as a DOM parser reads it: entities decoded, text joined across comments, CDATA and processing instructions. */
  text: string;
}

export type XmlResult = { ok: true; nodes: XmlNode[]; elements: number; doctype: string | null; riskyDoctype: boolean } | { ok: false; reason: string };

/**
 * XML with a conforming parser (saxes): malformed documents are an error, not
 * guessed at. Each element yields its direct text the way DOM and ElementTree
 * see it (text nodes joined across comments, CDATA sections and processing
 * instructions, entities decoded); each attribute value is its own node; the
 * whole document's text (textContent of the root) is one more node, so text
 * split across child elements is read together too. A DOCTYPE with an
 * internal subset or an external identifier is reported as risky; its
 * internal entities are expanded only when `allowDoctype`.
 */
export function parseXml(text: string, allowDoctype: boolean): XmlResult {
  const parser = new SaxesParser({ xmlns: false, position: false });
  const nodes: XmlNode[] = [];
  const stack: Array<{ name: string; text: string }> = [];
  let all = "";
  let doctype: string | null = null;
  let risky = false;
  let error: string | null = null;
  let elements = 0;
  let encoding: string | undefined;
  parser.on("error", (e) => {
    error ??= e.message;
  });
  parser.on("xmldecl", (decl) => {
    encoding = decl.encoding;
  });
  parser.on("doctype", (dt) => {
    doctype = dt;
    risky = /\[|\bSYSTEM\b|\bPUBLIC\b/i.test(dt);
    if (risky && allowDoctype) {
      // Internal general entities, so text that uses them reads as the application will read it.
      for (const m of dt.matchAll(/<!ENTITY\s+([A-Za-z_:][\w.:-]*)\s+(?:"([^"]*)"|'([^']*)'|(SYSTEM|PUBLIC)[^>]*)>/g)) {
        parser.ENTITIES[m[1]!] = m[2] ?? m[3] ?? "";
      }
    }
  });
  parser.on("opentag", (tag) => {
    elements++;
    for (const [attribute, value] of Object.entries(tag.attributes))
      if (value.length > 0) nodes.push({ name: `${tag.name}@${attribute}`, text: value as string });
    stack.push({ name: tag.name, text: "" });
  });
  const onText = (t: string): void => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
    all += t;
  };
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.on("closetag", () => {
    const el = stack.pop();
    if (el && el.text.trim().length > 0) nodes.push({ name: el.name, text: el.text });
  });
  try {
    parser.write(text).close();
  } catch (e) {
    error ??= (e as Error).message;
  }
  if (error !== null) return { ok: false, reason: `not well-formed XML: ${String(error).slice(0, 80)}` };
  if (encoding !== undefined && !isReadableCharset(encoding)) return { ok: false, reason: `XML encoding ${encoding}` };
  if (all.trim().length > 0) nodes.push({ name: "", text: all });
  if (doctype !== null) nodes.push({ name: "", text: `<!DOCTYPE ${doctype}>` });
  return { ok: true, nodes, elements, doctype, riskyDoctype: risky };
}

// ----------------------------------------------------------------------- JSON

export type JsonVisitor = (pointer: string, value: string, isKey: boolean) => void;

/** The same visitor as a method, so a per-request object needs no closure (this is the hot path of every JSON request). */
export interface JsonVisitorObject {
  jsonString(pointer: string, value: string, isKey: boolean): void;
}

/**
 * Every key and string value of a JSON text, named by JSON pointer, in
 * document order — duplicate keys included (JSON.parse keeps only the last,
 * other parsers the first or both). The text must already be valid JSON.
 * Iterative: no recursion however deep. Returns the number of strings visited
 * before `max` stopped it (count > max means some were not visited).
 */
export function forEachJsonString(text: string, visit: JsonVisitor | JsonVisitorObject, max = Infinity): number {
  if (typeof visit === "function") return walkJson(text, { jsonString: visit }, max);
  return walkJson(text, visit, max);
}

function walkJson(text: string, visitor: JsonVisitorObject, max: number): number {
  // Parallel stacks (no per-level objects or closures: this runs on every JSON request).
  const isObject: boolean[] = [];
  const base: string[] = [];
  const keys: string[] = [];
  const index: number[] = [];
  let expectKey = false;
  let count = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const end = stringEnd(text, i);
      const raw = text.slice(i, end + 1);
      const value = raw.indexOf("\\") >= 0 ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      i = end + 1;
      const top = isObject.length - 1;
      if (top >= 0 && expectKey) {
        keys[top] = value;
        expectKey = false;
        if (++count <= max) visitor.jsonString(`${base[top]!}/${pointerToken(value)}`, value, true);
      } else if (++count <= max)
        visitor.jsonString(top < 0 ? "" : isObject[top] ? `${base[top]!}/${pointerToken(keys[top]!)}` : `${base[top]!}/${index[top]!}`, value, false);
      continue;
    }
    if (c === 123 || c === 91) {
      const top = isObject.length - 1;
      base.push(top < 0 ? "" : isObject[top] ? `${base[top]!}/${pointerToken(keys[top]!)}` : `${base[top]!}/${index[top]!}`);
      isObject.push(c === 123);
      keys.push("");
      index.push(0);
      expectKey = c === 123;
    } else if (c === 125 || c === 93) {
      isObject.pop();
      base.pop();
      keys.pop();
      index.pop();
    } else if (c === 44) {
      const top = isObject.length - 1;
      if (top >= 0) {
        if (isObject[top]) expectKey = true;
        else index[top]!++;
      }
    }
    i++;
  }
  return count;
}

function stringEnd(text: string, start: number): number {
  let i = start + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return text.length - 1;
    let backslashes = 0;
    for (let j = q - 1; j > start && text.charCodeAt(j) === 92; j--) backslashes++;
    if (backslashes % 2 === 0) return q;
    i = q + 1;
  }
}

/** RFC 6901 escaping of one JSON pointer token. */
export function pointerToken(key: string): string {
  return key.indexOf("~") < 0 && key.indexOf("/") < 0 ? key : key.replace(/~/g, "~0").replace(/\//g, "~1");
}
