// Cross-origin resource sharing from the policy. Preflights are answered by
// the proxy (204 with the allowed methods and headers, or 403 for an origin,
// method or header the policy does not allow); actual requests from an allowed
// origin get Access-Control-Allow-Origin on the response. The policy is
// authoritative: the upstream's own Access-Control-* headers are dropped.

import type { Bundle } from "@/lib/policy-spec";
import { blocked, type Decision } from "../../runtime/decision.js";
import type { Middleware } from "../../runtime/middleware.js";
import type { RequestContext } from "../../runtime/request-context.js";

export interface Cors {
  readonly preflight: Middleware;
  /** Headers to add to a forwarded response (empty when the request carries no allowed Origin). */
  responseHeaders(ctx: RequestContext): Array<[string, string]>;
}

/** Not a refusal: the preflight answer itself, written like a block response but counted as allowed. */
export const PREFLIGHT_ANSWER = "cors.preflight-answer";

export function newCors(config: NonNullable<Bundle["cors"]>): Cors {
  const anyOrigin = config.allowOrigins.includes("*");
  const origins = new Set(config.allowOrigins);
  const methods = new Set<string>(config.allowMethods);
  const headers = new Set(config.allowHeaders);
  const allowMethods = config.allowMethods.join(", ");
  const expose = config.exposeHeaders.join(", ");
  const isAllowedOrigin = (origin: string) => anyOrigin || origins.has(origin);
  const originHeaders = (origin: string): Array<[string, string]> => {
    const out: Array<[string, string]> = [["access-control-allow-origin", anyOrigin ? "*" : origin]];
    if (!anyOrigin) out.push(["vary", "Origin"]);
    if (config.allowCredentials) out.push(["access-control-allow-credentials", "true"]);
    return out;
  };

  return {
    preflight: {
      name: "cors",
      onRequest(ctx): Decision | null {
        if (ctx.method !== "OPTIONS") return null;
        const origin = ctx.header("origin");
        const requestedMethod = ctx.header("access-control-request-method");
        if (origin === undefined || requestedMethod === undefined) return null; // a plain OPTIONS request
        if (!isAllowedOrigin(origin)) return blocked(403, "cors", "cors.origin", "header", "origin", origin);
        if (!methods.has(requestedMethod)) return blocked(403, "cors", "cors.method", "header", "access-control-request-method", requestedMethod);
        const requested = ctx.header("access-control-request-headers");
        const list = requested
          ? requested
              .split(",")
              .map((h) => h.trim().toLowerCase())
              .filter((h) => h.length > 0)
          : [];
        for (const h of list) if (!headers.has(h)) return blocked(403, "cors", "cors.header", "header", "access-control-request-headers", h);
        const answer: Array<[string, string]> = [
          ...originHeaders(origin),
          ["access-control-allow-methods", allowMethods],
          ["access-control-max-age", String(config.maxAgeSeconds)],
        ];
        if (list.length > 0) answer.push(["access-control-allow-headers", list.join(", ")]);
        return { status: 204, family: "cors", ruleId: PREFLIGHT_ANSWER, part: "header", name: "origin", excerpt: "", action: "blocked", headers: answer };
      },
    },
    responseHeaders(ctx) {
      const origin = ctx.header("origin");
      if (origin === undefined || !isAllowedOrigin(origin)) return [];
      const out = originHeaders(origin);
      if (expose.length > 0) out.push(["access-control-expose-headers", expose]);
      return out;
    },
  };
}
