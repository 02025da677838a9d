// The request head as every backend must read it the same way: one protocol
// version the listener speaks, one request target without a fragment, exactly
// one Host (HTTP/2: `host` agrees with `:authority`) in valid syntax, and the
// fields a recipient keeps only one of sent only once. Anything else is a
// request two parsers can read differently, so it is refused before any
// policy runs.

import type { IncomingMessage } from "node:http";

export interface HeadProblem {
  status: number;
  ruleId: string;
  name: string;
  excerpt: string;
}

/**
 * Fields a recipient keeps one of: Node keeps the first (joinDuplicateHeaders
 * off), other servers the last or both. Two of them are a request read two
 * ways — Authorization for the token check and another for the application.
 */
const SINGLETON_FIELDS = new Set([
  "host",
  "content-type",
  "content-length",
  "content-encoding",
  "authorization",
  "proxy-authorization",
  "user-agent",
  "referer",
  "if-modified-since",
  "if-unmodified-since",
  "if-range",
  "range",
  "max-forwards",
  "from",
  "expect",
  "origin",
]);

/** HTTP/1 heads: the version line, framing, Host and singleton fields. */
export function http1HeadProblem(req: IncomingMessage, url: string): HeadProblem | null {
  if (req.httpVersionMajor !== 1 || (req.httpVersionMinor !== 0 && req.httpVersionMinor !== 1)) {
    // HTTP/2 is negotiated per connection (ALPN), never by a version string on an HTTP/1 connection.
    return { status: 505, ruleId: "protocol.http-version", name: "", excerpt: `HTTP/${req.httpVersion}` };
  }
  if (url.indexOf("#") >= 0) return fragment(url);
  const te = req.headers["transfer-encoding"];
  if (te !== undefined) {
    if (te.trim().toLowerCase() !== "chunked") return bad("protocol.transfer-encoding", "transfer-encoding", te);
    if (req.httpVersionMinor === 0) return bad("protocol.transfer-encoding-http10", "transfer-encoding", te);
    if (req.headers["content-length"] !== undefined) return bad("protocol.content-length-with-transfer-encoding", "transfer-encoding", te);
  }
  const duplicate = duplicateSingleton(req.rawHeaders);
  if (duplicate !== null) return duplicate;
  const host = req.headers.host;
  if (host !== undefined && !isValidAuthority(host)) return bad("protocol.host-syntax", "host", host);
  // Absolute-form ("GET http://a/ HTTP/1.1"): the target's authority outranks Host (RFC 9112 §3.2.2); two different ones are refused.
  if (url.charCodeAt(0) !== 47 && url !== "*") {
    const authority = absoluteFormAuthority(url);
    if (authority === null || !isValidAuthority(authority)) return bad("protocol.request-target", "", url);
    if (host !== undefined && authority.toLowerCase() !== host.toLowerCase()) return bad("protocol.host-mismatch", "host", `${authority} ≠ ${host}`);
  }
  return null;
}

/** HTTP/2 heads: `:authority` and `host` agree, one `host` at most, no fragment, singleton fields once. */
export function http2HeadProblem(rawHeaders: readonly string[], url: string): HeadProblem | null {
  if (url.indexOf("#") >= 0) return fragment(url);
  let authority: string | null = null;
  let host: string | null = null;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name === ":authority") {
      if (authority !== null) return bad("protocol.duplicate-host", ":authority", rawHeaders[i + 1]!);
      authority = rawHeaders[i + 1]!;
    } else if (name.length === 4 && name.toLowerCase() === "host") {
      if (host !== null) return bad("protocol.duplicate-host", "host", rawHeaders[i + 1]!);
      host = rawHeaders[i + 1]!;
    }
  }
  if (authority !== null && host !== null && authority.toLowerCase() !== host.toLowerCase())
    return bad("protocol.host-mismatch", "host", `${authority} ≠ ${host}`);
  const effective = authority ?? host;
  if (effective !== null && !isValidAuthority(effective)) return bad("protocol.host-syntax", authority !== null ? ":authority" : "host", effective);
  return duplicateSingleton(rawHeaders);
}

/** Each singleton field's bit, so the duplicate check needs no set per request. */
const SINGLETON_BITS = new Map<string, number>([...SINGLETON_FIELDS].map((name, i) => [name, 1 << i]));
if (SINGLETON_BITS.size > 31) throw new Error("SINGLETON_FIELDS: more fields than bits in a mask");

function duplicateSingleton(rawHeaders: readonly string[]): HeadProblem | null {
  let seen = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.charCodeAt(0) === 58) continue;
    const lower = name.toLowerCase();
    const bit = SINGLETON_BITS.get(lower);
    if (bit === undefined) continue;
    if ((seen & bit) !== 0) return bad(lower === "host" ? "protocol.duplicate-host" : "protocol.duplicate-header", lower, lower);
    seen |= bit;
  }
  return null;
}

/**
 * uri-host [":" port], with the host a DNS name (letters, digits, "-", "_",
 * dots; punycode for IDNs), an IPv4 address or a bracketed IPv6 literal. RFC
 * 3986's reg-name allows more (sub-delims, percent-encoding), which no real
 * host name needs and which only serve to smuggle text into a Host.
 */
export function isValidAuthority(value: string): boolean {
  const n = value.length;
  if (n === 0 || n > 260) return false;
  let end = n;
  let i = 0;
  if (value.charCodeAt(0) === 91) {
    const close = value.indexOf("]");
    if (close < 3) return false;
    for (let j = 1; j < close; j++) {
      const c = value.charCodeAt(j);
      if (!(isHex(c) || c === 58 || c === 46)) return false;
    }
    i = close + 1;
    if (i === n) return true;
    if (value.charCodeAt(i) !== 58) return false;
    return isPort(value, i + 1, n);
  }
  const colon = value.indexOf(":");
  if (colon >= 0) {
    if (!isPort(value, colon + 1, n)) return false;
    end = colon;
  }
  if (end === 0) return false;
  let labelLength = 0;
  for (; i < end; i++) {
    const c = value.charCodeAt(i);
    if (c === 46) {
      if (labelLength === 0) return false;
      labelLength = 0;
      continue;
    }
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95)) return false;
    if (++labelLength > 63) return false;
  }
  return true;
}

function isPort(value: string, from: number, to: number): boolean {
  if (to - from < 1 || to - from > 5) return false;
  for (let i = from; i < to; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return Number(value.slice(from, to)) <= 65535;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function absoluteFormAuthority(url: string): string | null {
  const scheme = url.indexOf("://");
  if (scheme < 0) return null;
  const name = url.slice(0, scheme).toLowerCase();
  if (name !== "http" && name !== "https") return null;
  let end = url.length;
  for (const stop of ["/", "?"]) {
    const at = url.indexOf(stop, scheme + 3);
    if (at >= 0 && at < end) end = at;
  }
  return url.slice(scheme + 3, end);
}

function fragment(url: string): HeadProblem {
  // A fragment is never sent by a client; some servers strip it before routing and some do not, so a rule on the path cannot hold.
  return bad("protocol.fragment", "", url);
}

function bad(ruleId: string, name: string, excerpt: string): HeadProblem {
  return { status: 400, ruleId, name, excerpt };
}
