// Protocol abuse visible in a parsed request: CR/LF injection (response
// splitting, header injection) in values, NUL bytes, and — as request-level
// checks — framing conflicts that signal request smuggling.
import { documentProse } from "../document.js";
import { C, K, K_ALL, K_INPUT, reHit, type Hit, type Rule, type Subject } from "../subject.js";
import { isMarkdownDocument } from "./context.js";

const CRLF_HEADER =
  /[\r\n][ \t]*(?:set-cookie|location|content-(?:type|length|disposition|security-policy|encoding)|transfer-encoding|x-[a-z0-9-]{1,40}|refresh|host|cookie|access-control-[a-z-]{1,40}|link|server|connection|www-authenticate)[\s]*:|[\r\n]http\/\d/;

/**
 * A redirect target split into a second header line: a value whose first line
 * is a URL or an absolute path with no blank, then CR/LF and any `name:` line
 * (http://x/\r\nwapiti: 3.0.4). A list of links (`https://a\nhttps://b`) is
 * not one: the next line's colon is a scheme's.
 */
const URL_THEN_HEADER_LINE = /^(?:[a-z][a-z0-9+.-]{1,20}:\/\/|\/)[^\s]{0,2000}\r?\n[a-z0-9!#$%&'*+.^_`|~-]{1,40}[ \t]*:(?!\/\/)/;

/** A header line inside a markdown document's code (a YAML or JS object with `host:`) is quoted code: only the prose counts. */
function crlfHeader(s: Subject): Hit | null {
  const hit = reHit(CRLF_HEADER, s.lower);
  if (!hit || !isMarkdownDocument(s)) return hit;
  const m = CRLF_HEADER.exec(documentProse(s.lower) ?? s.lower);
  if (!m) return null;
  const at = s.lower.indexOf(m[0]);
  return at >= 0 ? [at, at + m[0].length] : hit;
}

export const PROTOCOL_RULES: Rule[] = [
  {
    id: "protocol.crlf-injection",
    family: "protocol",
    level: "basic",
    description: "CR/LF followed by an HTTP header or status line (header injection, response splitting); in a markdown document only outside its code",
    targets: K_ALL,
    needs: C.NEWLINE,
    test: crlfHeader,
  },
  {
    id: "protocol.url-header-split",
    family: "protocol",
    level: "standard",
    description: "A URL or absolute path followed by CR/LF and a header line of any name (response splitting through a redirect target)",
    targets: K_INPUT,
    needs: C.NEWLINE,
    test: (s) => reHit(URL_THEN_HEADER_LINE, s.lower),
  },
  {
    id: "protocol.crlf-in-path",
    family: "protocol",
    level: "standard",
    description: "CR or LF anywhere in the decoded request path",
    targets: K.PATH,
    needs: C.NEWLINE,
    test: (s) => {
      const i = s.lower.search(/[\r\n]/);
      return i >= 0 ? [i, i + 1] : null;
    },
  },
  {
    id: "protocol.null-byte",
    family: "protocol",
    level: "standard",
    description: "NUL bytes (raw or %00) in the path, parameters, cookies or headers",
    targets: K_INPUT | K.PATH | K.FILENAME,
    needs: 0,
    test: (s) => {
      const r = s.raw;
      // normalisation removes NUL and decodes %00, so an unchanged value has neither
      if (s.text === r) return null;
      if (r.indexOf("\u0000") >= 0 || r.indexOf("%00") >= 0) return [0, 0];
      return r.indexOf("%25") >= 0 && /%25(?:25)*00/.test(r) ? [0, 0] : null;
    },
  },
];

/** Request-level checks on the header list (not per value). */
export interface HeaderCheck {
  id: string;
  level: Rule["level"];
  description: string;
}

export const SMUGGLING_CHECK: HeaderCheck = {
  id: "protocol.request-smuggling",
  level: "basic",
  description: 'Conflicting framing: Content-Length with Transfer-Encoding, several Content-Length values, or a Transfer-Encoding other than "chunked"',
};
export const INVALID_HEADER_CHECK: HeaderCheck = {
  id: "protocol.invalid-header",
  level: "standard",
  description: "Header names that are not HTTP tokens, or header values with control characters",
};

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** Returns [header name, excerpt] of the first framing conflict, or null. */
export function findSmuggling(headers: ReadonlyArray<readonly [string, string]>): [string, string] | null {
  let cl: string | null = null;
  let te: string | null = null;
  for (const [name, value] of headers) {
    const n = name.toLowerCase();
    if (n === "content-length") {
      const v = value.trim();
      if (!/^\d+$/.test(v)) return [name, value];
      if (cl !== null && cl !== v) return [name, `${cl}, ${v}`];
      cl = v;
    } else if (n === "transfer-encoding") {
      if (te !== null) return [name, `${te}, ${value}`];
      te = value;
      if (value.trim().toLowerCase() !== "chunked" || value !== value.trim()) return [name, value];
    }
  }
  if (cl !== null && te !== null) return ["transfer-encoding", `content-length: ${cl}; transfer-encoding: ${te}`];
  return null;
}

export function findInvalidHeader(headers: ReadonlyArray<readonly [string, string]>): [string, string] | null {
  for (const [name, value] of headers) {
    if (!TOKEN.test(name)) return [name, name];
    if (CONTROL.test(value)) return [name, value];
  }
  return null;
}
