// Reads the request the way the application will, and refuses what it cannot
// read unambiguously — before any rule looks at it. Head: one Content-Type in
// valid syntax with a charset every backend decodes alike, a Content-Encoding
// the policy decodes (or none), known headers in their grammar. Body: the
// content decoded (gzip, deflate, br) within the body limit — never inspected
// as compressed bytes —, no UTF-16/32 text hiding behind a byte-level reading,
// multipart bodies framed exactly as RFC 2046/7578 say, XML well-formed and
// without document type declarations unless the application allows them. The
// decoded content is what request-limits, the deny rules and OpenAPI
// validation see; the original bytes are forwarded unchanged. Uploads whose
// file name (multipart filename, X-Filename) has an extension the policy blocks
// are refused (403 uploads.blocked-extension).

import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from "node:zlib";
import type { Bundle } from "@/lib/policy-spec";
import { findHeaderSyntaxError } from "../../detection/header-grammar.js";
import {
  FILENAME_HEADERS,
  fileNameExtensions,
  isReadableCharset,
  looksLikeWideText,
  parseMediaType,
  parseMultipart,
  parseXml,
} from "../../detection/parse-body.js";
import { blocked, type Decision } from "../../runtime/decision.js";
import type { Middleware } from "../../runtime/middleware.js";
import type { RequestContext } from "../../runtime/request-context.js";

export interface RequestReadingConfig {
  limits: Bundle["limits"];
  bodies: Bundle["bodies"];
}

const CODINGS = new Set(["gzip", "x-gzip", "deflate", "br", "identity"]);

export function newRequestReading(config: RequestReadingConfig, options: { maxInspectBytes: number }): Middleware {
  const { limits, bodies } = config;
  // Decoding stops here: more decoded bytes than the body limit (or the inspection window) are never produced.
  const decodeLimit = Math.min(limits.maxBodyBytes, options.maxInspectBytes);
  const blockedUpload = blockedUploadCheck(bodies.blockedUploadExtensions);
  return {
    name: "request-reading",
    onRequest(ctx) {
      const syntax = findHeaderSyntaxError(ctx.headerPairs());
      if (syntax !== null) return blocked(400, "protocol", "protocol.header-syntax", "header", syntax[0], syntax[1]);
      if (blockedUpload !== null) {
        for (const name of FILENAME_HEADERS) {
          const value = ctx.header(name);
          const refused = value === undefined ? null : blockedUpload("header", name, value);
          if (refused !== null) return refused;
        }
      }
      const type = ctx.header("content-type");
      if (type !== undefined) {
        const media = parseMediaType(type);
        if (typeof media === "string") return blocked(400, "protocol", "protocol.content-type", "header", "content-type", `${media}: ${type}`);
        const charset = media.params.get("charset");
        if (charset !== undefined && !isReadableCharset(charset)) return blocked(415, "protocol", "protocol.charset", "header", "content-type", charset);
        ctx.mediaType = media.type;
      }
      const encoding = ctx.header("content-encoding");
      if (encoding !== undefined) {
        const codings = encoding.split(",").map((c) => c.trim().toLowerCase());
        for (const coding of codings) {
          if (!CODINGS.has(coding)) return blocked(415, "protocol", "protocol.content-encoding", "header", "content-encoding", coding);
        }
        const active = codings.filter((c) => c !== "identity");
        if (active.length > 0) {
          if (bodies.contentEncoding === "refuse") return blocked(415, "protocol", "protocol.content-encoding", "header", "content-encoding", encoding);
          ctx.codings = active;
        }
      }
      return null;
    },
    onBody(ctx) {
      if (ctx.body === null || ctx.body.length === 0) return null;
      if (ctx.codings !== null) {
        const decoded = decode(ctx.body, ctx.codings, decodeLimit);
        if (decoded === "too-large") {
          // A decompression bomb, or simply more than the policy lets us hold: the decoded size is what the application would read.
          return blocked(413, "limits", "limits.decoded-body-bytes", "body", "", `decodes to more than ${decodeLimit} bytes`);
        }
        if (decoded === "corrupt") return blocked(400, "protocol", "protocol.content-encoding", "body", "", ctx.codings.join(", "));
        ctx.content = decoded;
      } else ctx.content = ctx.body;
      return readBody(ctx, ctx.content, bodies, blockedUpload);
    },
  };
}

type UploadCheck = (part: string, name: string, filename: string) => Decision | null;

/** Refuses a file name with an extension the policy blocks; null when the policy blocks none. */
function blockedUploadCheck(extensions: readonly string[]): UploadCheck | null {
  if (extensions.length === 0) return null;
  const blockedSet = new Set(extensions);
  return (part, name, filename) => {
    for (const extension of fileNameExtensions(filename)) {
      if (blockedSet.has(extension)) return blocked(403, "uploads", "uploads.blocked-extension", part, name, filename);
    }
    return null;
  };
}

function readBody(ctx: RequestContext, content: Buffer, bodies: Bundle["bodies"], blockedUpload: UploadCheck | null): Decision | null {
  const type = ctx.mediaType;
  const textual = type === "" || type.startsWith("text/") || type.includes("json") || type.includes("xml") || type === "application/x-www-form-urlencoded";
  // JSON parsers detect UTF-16/32 by their NUL bytes (RFC 4627 §3), XML parsers by the BOM: a byte-level reading sees nothing.
  if (textual && type !== "" && looksLikeWideText(content))
    return blocked(415, "protocol", "protocol.charset", "body", "", "UTF-16/32 or NUL bytes in a text body");
  if (type.startsWith("multipart/")) {
    const media = parseMediaType(ctx.header("content-type") ?? "");
    const boundary = typeof media === "string" ? undefined : media.params.get("boundary");
    if (boundary === undefined) return blocked(400, "protocol", "protocol.multipart", "header", "content-type", "no boundary");
    const parsed = parseMultipart(content, boundary, type === "multipart/form-data");
    if (!parsed.ok) return blocked(400, "protocol", "protocol.multipart", "body", "", parsed.reason);
    if (blockedUpload !== null) {
      for (const part of parsed.parts) {
        const refused = part.filename === null ? null : blockedUpload("parameter", part.name, part.filename);
        if (refused !== null) return refused;
      }
    }
    return null;
  }
  if (type.includes("xml")) {
    const parsed = parseXml(content.toString("utf8"), bodies.xmlDoctype === "allow");
    if (!parsed.ok) return blocked(400, "protocol", "protocol.xml", "body", "", parsed.reason);
    if (parsed.riskyDoctype && bodies.xmlDoctype !== "allow")
      return blocked(400, "protocol", "protocol.xml-doctype", "body", "", "a DOCTYPE with an internal subset or external identifier");
    return null;
  }
  return null;
}

/** Decodes the codings in reverse order of application, never producing more than `limit` bytes. */
function decode(body: Buffer, codings: readonly string[], limit: number): Buffer | "too-large" | "corrupt" {
  let data = body;
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i]!;
    try {
      const options = { maxOutputLength: limit };
      if (coding === "gzip" || coding === "x-gzip") data = gunzipSync(data, options);
      else if (coding === "br") data = brotliDecompressSync(data, options);
      else data = isZlibHeader(data) ? inflateSync(data, options) : inflateRawSync(data, options);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === "ERR_BUFFER_TOO_LARGE" || (error as RangeError).name === "RangeError" ? "too-large" : "corrupt";
    }
  }
  return data;
}

/** "deflate" is the zlib format (RFC 9110 §8.4.1.2); some clients send raw deflate, which servers accept too. */
function isZlibHeader(data: Buffer): boolean {
  return data.length >= 2 && (data[0]! & 0x0f) === 8 && ((data[0]! << 8) | data[1]!) % 31 === 0;
}
