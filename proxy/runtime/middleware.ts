// A middleware is built once from its slice of the bundle (traefik's
// New(config)) and is immutable afterwards. Per request it runs in phases
// (coraza): onRequest when the head has arrived, onBody once the body is
// buffered. It returns a blocking Decision or null; log-only findings go to
// ctx.log. Only token verification may need to wait (a JWKS fetch), so only
// onRequest may return a promise.

import type { Verdict } from "./decision.js";
import type { RequestContext } from "./request-context.js";

export interface Middleware {
  readonly name: string;
  readonly onRequest?: (ctx: RequestContext) => Verdict | Promise<Verdict>;
  readonly onBody?: (ctx: RequestContext) => Verdict;
}
