// The "evaluate" step for one request, in coraza's phases: the head (framing,
// path normalisation, route selection, client address, then the route's head
// middlewares), the body (buffered up to the inspection limit, then the body
// middlewares), then forward. The snapshot is read once at the start, so a
// request finishes on the policy it started with even if a reload swaps the
// snapshot meanwhile. Every exit goes through `finish`, which writes the
// decision log lines and the metrics.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import type { TLSSocket } from "node:tls";
import { normalizeRequestPath } from "../match/normalize-request-path.js";
import type { ClientIpResolver } from "../middleware/client-ip/new-client-ip-resolver.js";
import { PREFLIGHT_ANSWER } from "../middleware/cors/new-cors.js";
import type { CompiledRoute } from "../runtime/compile-route.js";
import { isUnavailable, selectRoute, type Snapshot } from "../runtime/compile-snapshot.js";
import { blocked, logged, type Decision, type Verdict } from "../runtime/decision.js";
import { RequestContext } from "../runtime/request-context.js";
import type { RuntimeOptions } from "../runtime/runtime-options.js";
import { answerHandlerError, writeProxyResponse, type AnyResponse } from "./block-response.js";
import type { DecisionLog } from "./decision-log.js";
import { forwardRequest, type ForwardHooks } from "./forward-request.js";
import type { WorkerMetrics } from "./metrics.js";
import { readBody, type AnyRequest, type BodyResult } from "./read-body.js";
import { http1HeadProblem, http2HeadProblem } from "./request-head-checks.js";

export interface HandlerDeps {
  snapshot(): Snapshot;
  clientIp: ClientIpResolver;
  metrics: WorkerMetrics;
  decisions: DecisionLog;
  options: RuntimeOptions;
  /** Distinguishes request ids across processes. */
  idPrefix: string;
}

export type RequestHandler = (req: AnyRequest, res: AnyResponse) => void;

const NO_SECURITY: ReadonlyArray<readonly [string, string]> = [];

export function createRequestHandler(deps: HandlerDeps): { handle: RequestHandler; handleExpectContinue: RequestHandler } {
  let counter = 0;
  const { metrics, decisions, options } = deps;

  const finish = (ctx: RequestContext, route: CompiledRoute | null, status: number): void => {
    if (ctx.logged !== null) {
      for (const decision of ctx.logged) {
        decisions.record(ctx, route, decision, status);
        if (decision.action === "logged") metrics.logged(decision.family, decision.ruleId);
      }
    }
    metrics.observe(status, (performance.now() - ctx.startedAt) / 1000);
  };

  const refuse = (req: AnyRequest, res: AnyResponse, ctx: RequestContext, route: CompiledRoute | null, decision: Decision, ambiguousHead = false): void => {
    const preflight = decision.ruleId === PREFLIGHT_ANSWER;
    if (!preflight) {
      decisions.record(ctx, route, decision, decision.status);
      metrics.block(decision.family, decision.ruleId);
    }
    // An unread body must not be taken for the next request on this connection; nor may anything
    // after a head that parsers read two ways (its framing is exactly what is in doubt).
    const unread = ctx.hasBody && !req.readableEnded && ctx.body === null;
    writeProxyResponse(
      res,
      decision.status,
      ctx.id,
      route?.responseHeaders.security ?? NO_SECURITY,
      decision.headers,
      ambiguousHead || unread || !ctx.bodyComplete,
    );
    finish(ctx, route, decision.status);
  };

  // One hooks object for every request: the forwarder hands each call its own request's state.
  const hooks: ForwardHooks = {
    done(_res, ctx, route, status) {
      finish(ctx, route, status);
    },
    failed(res, ctx, route, status, kind) {
      if (kind !== "upstream-5xx") metrics.upstreamError(kind);
      writeProxyResponse(res, status, ctx.id, route.responseHeaders.security, undefined, !ctx.bodyComplete);
      finish(ctx, route, status);
    },
    aborted(_res, ctx, route, kind) {
      metrics.upstreamError(kind);
      finish(ctx, route, 499);
    },
  };

  const forward = (req: AnyRequest, res: AnyResponse, ctx: RequestContext, route: CompiledRoute, target: string, streamRest: boolean): void => {
    const peer = ctx.peer;
    forwardRequest(
      req,
      res,
      ctx,
      route,
      ctx.body,
      target,
      {
        connectTimeoutMs: options.upstream.connectTimeoutMs,
        responseTimeoutMs: options.upstream.responseTimeoutMs,
        trustedPeer: deps.clientIp.isTrusted(peer),
        peer,
        isTls: ctx.tlsSocket !== null,
        streamRest: streamRest ? { maxBodyBytes: route.limits.maxBodyBytes } : null,
      },
      hooks,
    );
  };

  const bodyPhase = (req: AnyRequest, res: AnyResponse, ctx: RequestContext, route: CompiledRoute, target: string, expectContinue: boolean): void => {
    if (!ctx.hasBody) {
      const verdict = runBody(route, ctx);
      if (verdict) refuse(req, res, ctx, route, verdict);
      else forward(req, res, ctx, route, target, false);
      return;
    }
    if (expectContinue) (res as ServerResponse).writeContinue();
    readBody(req, ctx.contentLength, route.limits.maxBodyBytes, options.maxInspectBytes, (result) => {
      // Called from the request stream's events: the listener's guard does not reach here.
      try {
        afterBody(req, res, ctx, route, target, result);
      } catch (error) {
        answerHandlerError(res, error);
      }
    });
  };

  const afterBody = (req: AnyRequest, res: AnyResponse, ctx: RequestContext, route: CompiledRoute, target: string, result: BodyResult): void => {
    if (result.kind === "aborted") {
      finish(ctx, route, 499);
      return;
    }
    if (result.kind === "too-large") {
      ctx.bodyComplete = false;
      refuse(req, res, ctx, route, blocked(413, "limits", "limits.body-bytes", "body", "", `${result.bytes}+ bytes`));
      return;
    }
    let streamRest = false;
    if (result.kind === "partial") {
      ctx.bodyComplete = false;
      ctx.body = result.prefix;
      // Fail closed: the rest of the body would reach the application uninspected; only the policy can allow that.
      if (route.limits.uninspected === "refuse") {
        refuse(req, res, ctx, route, blocked(413, "limits", "limits.inspection-limit", "body", "", `more than ${options.maxInspectBytes} bytes`));
        return;
      }
      ctx.log(logged("limits", "limits.uninspected-body", "body", "", `bytes after ${result.prefix.length} not inspected`));
      streamRest = true;
    } else ctx.body = result.body;
    const verdict = runBody(route, ctx);
    if (verdict) refuse(req, res, ctx, route, verdict);
    else forward(req, res, ctx, route, target, streamRest);
  };

  const handleWith = (req: AnyRequest, res: AnyResponse, expectContinue: boolean): void => {
    const snapshot = deps.snapshot();
    const started = performance.now();
    const id = `${deps.idPrefix}${(++counter).toString(36)}`;
    // HTTP/2 is a property of the connection (ALPN), never of the version string an HTTP/1 client writes.
    const isHttp2 = (req as Http2ServerRequest).stream !== undefined;
    const url = req.url ?? "/";
    let target = url;
    if (url.charCodeAt(0) !== 47) target = absoluteFormPath(url);
    const q = target.indexOf("?");
    const rawPath = q < 0 ? target : target.slice(0, q);
    const query = q < 0 ? "" : target.slice(q + 1);
    const socket = req.socket;
    const tlsSocket = (socket as TLSSocket).encrypted ? (socket as TLSSocket) : null;
    const ctx = new RequestContext(id, started, req.method ?? "GET", rawPath, query, req.headers, req.rawHeaders, isHttp2, tlsSocket);
    ctx.peer = socket.remoteAddress ?? "";
    ctx.clientIp = deps.clientIp.resolve(ctx.peer, req.headers);
    const authority = isHttp2 ? ((req.headers[":authority"] as string | undefined) ?? req.headers.host) : req.headers.host;
    ctx.host = hostOnly(authority ?? "");

    const problem = isHttp2 ? http2HeadProblem(req.rawHeaders, url) : http1HeadProblem(req as IncomingMessage, url);
    if (problem !== null) {
      refuse(req, res, ctx, null, blocked(problem.status, "protocol", problem.ruleId, "header", problem.name, problem.excerpt), true);
      return;
    }
    if (rawPath.length === 0 || rawPath.charCodeAt(0) !== 47) {
      refuse(req, res, ctx, null, blocked(400, "protocol", "protocol.request-target", "header", "", url.slice(0, 64)));
      return;
    }
    const path = normalizeRequestPath(rawPath);
    if (path === null) {
      refuse(req, res, ctx, null, blocked(400, "protocol", "protocol.ambiguous-path", "path", "", rawPath));
      return;
    }
    ctx.path = path;
    ctx.pathLower = path.toLowerCase();
    const route = selectRoute(snapshot, ctx.host, path);
    if (route === null) {
      refuse(req, res, ctx, null, blocked(404, "gateway", "gateway.no-route", "path", "", ctx.host + path));
      return;
    }
    if (isUnavailable(route)) {
      // Fail closed: the route's application is not in the delivered set, so there is no policy to enforce for it.
      refuse(req, res, ctx, null, blocked(503, "gateway", "gateway.application-unavailable", "path", "", `${route.name}: ${route.unavailable}`));
      return;
    }
    const lengthHeader = req.headers["content-length"];
    ctx.contentLength = lengthHeader === undefined ? -1 : Number(lengthHeader);
    ctx.hasBody =
      ctx.contentLength > 0 ||
      (ctx.contentLength < 0 && (isHttp2 ? !(req as Http2ServerRequest).stream.endAfterHeaders : req.headers["transfer-encoding"] !== undefined));
    const type = req.headers["content-type"];
    if (type !== undefined) {
      const semi = type.indexOf(";");
      ctx.mediaType = (semi < 0 ? type : type.slice(0, semi)).trim().toLowerCase();
    }

    const head = route.head;
    for (let i = 0; i < head.length; i++) {
      const verdict = head[i]!(ctx);
      if (verdict === null) continue;
      if (verdict instanceof Promise) {
        continueHeadAsync(verdict, i + 1, req, res, ctx, route, target, expectContinue);
        return;
      }
      refuse(req, res, ctx, route, verdict);
      return;
    }
    bodyPhase(req, res, ctx, route, target, expectContinue);
  };

  const continueHeadAsync = (
    pending: Promise<Verdict>,
    next: number,
    req: AnyRequest,
    res: AnyResponse,
    ctx: RequestContext,
    route: CompiledRoute,
    target: string,
    expectContinue: boolean,
  ): void => {
    pending.then(
      async (verdict) => {
        if (verdict !== null) return refuse(req, res, ctx, route, verdict);
        const head = route.head;
        for (let i = next; i < head.length; i++) {
          const result = await head[i]!(ctx);
          if (result !== null) return refuse(req, res, ctx, route, result);
        }
        bodyPhase(req, res, ctx, route, target, expectContinue);
      },
      () => refuse(req, res, ctx, route, blocked(503, "auth", "auth.keys-unavailable", "header", "authorization", "")),
    );
  };

  return {
    handle: (req, res) => handleWith(req, res, false),
    handleExpectContinue: (req, res) => handleWith(req, res, true),
  };
}

function runBody(route: CompiledRoute, ctx: RequestContext): Verdict {
  const body = route.body;
  for (let i = 0; i < body.length; i++) {
    const verdict = body[i]!(ctx);
    if (verdict !== null) return verdict;
  }
  return null;
}

/** "http://host/path?q" (absolute-form) → "/path?q"; anything else is not a usable target. */
function absoluteFormPath(url: string): string {
  const scheme = url.indexOf("://");
  if (scheme < 0) return "";
  const slash = url.indexOf("/", scheme + 3);
  return slash < 0 ? "/" : url.slice(slash);
}

function hostOnly(authority: string): string {
  let host = authority.trim().toLowerCase();
  if (host.charCodeAt(0) === 91) {
    const close = host.indexOf("]");
    return close < 0 ? host : host.slice(0, close + 1);
  }
  const colon = host.indexOf(":");
  if (colon >= 0) host = host.slice(0, colon);
  return host.endsWith(".") ? host.slice(0, -1) : host;
}

export type { Http2ServerResponse, ServerResponse };
