// Request size limits from the policy. Head limits are checked as soon as the
// head has arrived (URL 414, headers 431, declared body 413, query parameters
// 400); body limits once the body is buffered (413 for size, 400 for JSON depth
// and form parameters). The body reader itself stops at maxBodyBytes, so an
// oversized body is never held in memory.

import type { Bundle } from "@/lib/policy-spec";
import { blocked, type Decision } from "../../runtime/decision.js";
import type { Middleware } from "../../runtime/middleware.js";
import type { RequestContext } from "../../runtime/request-context.js";
import { exceedsJsonDepth } from "./json-depth.js";

export type RequestLimits = Bundle["limits"];

export function newRequestLimits(limits: RequestLimits): Middleware {
  const { maxUrlBytes, maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxJsonBytes, maxJsonDepth, maxParameterCount, maxParameterBytes } = limits;
  return {
    name: "request-limits",
    onRequest(ctx) {
      const urlBytes = ctx.rawPath.length + (ctx.query.length > 0 ? ctx.query.length + 1 : 0);
      if (urlBytes > maxUrlBytes) return blocked(414, "limits", "limits.url-bytes", "path", "", `${urlBytes} bytes`);
      const raw = ctx.rawHeaders;
      let count = 0;
      let bytes = 0;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        if (raw[i]!.charCodeAt(0) === 58) continue; // HTTP/2 pseudo-header
        count++;
        bytes += raw[i]!.length + raw[i + 1]!.length + 4;
      }
      if (count > maxHeaderCount) return blocked(431, "limits", "limits.header-count", "header", "", `${count} headers`);
      if (bytes > maxHeaderBytes) return blocked(431, "limits", "limits.header-bytes", "header", "", `${bytes} bytes`);
      if (ctx.query.length > 0) {
        const verdict = checkParameters(ctx.query, "query", maxParameterCount, maxParameterBytes);
        if (verdict) return verdict;
      }
      if (ctx.contentLength > maxBodyBytes) return blocked(413, "limits", "limits.body-bytes", "body", "", `${ctx.contentLength} bytes`);
      if (ctx.contentLength > maxJsonBytes && isJson(ctx)) return blocked(413, "limits", "limits.json-bytes", "body", "", `${ctx.contentLength} bytes`);
      return null;
    },
    onBody(ctx) {
      const body = ctx.content ?? ctx.body;
      if (body === null) return null;
      if (body.length > maxBodyBytes) return blocked(413, "limits", "limits.body-bytes", "body", "", `${body.length} bytes`);
      if (isJson(ctx)) {
        if (body.length > maxJsonBytes) return blocked(413, "limits", "limits.json-bytes", "body", "", `${body.length} bytes`);
        if (exceedsJsonDepth(body, maxJsonDepth)) return blocked(400, "limits", "limits.json-depth", "body", "", `deeper than ${maxJsonDepth}`);
      } else if (ctx.mediaType === "application/x-www-form-urlencoded") {
        return checkParameters(body.toString("latin1"), "parameter", maxParameterCount, maxParameterBytes);
      }
      return null;
    },
  };
}

function isJson(ctx: RequestContext): boolean {
  const type = ctx.mediaType;
  return type === "application/json" || (type.endsWith("+json") && type.startsWith("application/"));
}

/** Counts name=value pairs and measures each one, without decoding or allocating. */
export function checkParameters(text: string, part: string, maxCount: number, maxBytes: number): Decision | null {
  let count = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text.charCodeAt(i) !== 38) continue; // "&"
    const length = i - start;
    if (length > 0) {
      if (++count > maxCount) return blocked(400, "limits", "limits.parameter-count", part, "", `more than ${maxCount} parameters`);
      if (length > maxBytes) {
        const eq = text.indexOf("=", start);
        const name = eq >= 0 && eq < i ? text.slice(start, Math.min(eq, start + 64)) : "";
        return blocked(400, "limits", "limits.parameter-bytes", part, name, `${length} bytes`);
      }
    }
    start = i + 1;
  }
  return null;
}
