// The "forward" step: the request goes to the route's upstream over its
// keep-alive pool, with hop-by-hop headers removed, X-Forwarded-* set (the
// client's own values only believed from trusted proxies), the inspected body
// re-framed with Content-Length (or the uninspected remainder streamed), and
// the response streamed back with the policy's header rules. Upstream
// failures become 502 (connect, reset) or 504 (timeout) at once; an upstream
// 5xx body is replaced by the proxy's own, so error details never leak.

import type { IncomingMessage, ClientRequest, ServerResponse } from "node:http";
import { HOP_BY_HOP } from "../middleware/response-headers/new-response-headers.js";
import type { CompiledRoute } from "../runtime/compile-route.js";
import type { RequestContext } from "../runtime/request-context.js";
import type { AnyResponse } from "./block-response.js";
import type { AnyRequest } from "./read-body.js";
import type { Exchange, ExchangeHandler } from "./upstream-client.js";

/** Created once per handler, not per request: each call names the request it is about. */
export interface ForwardHooks {
  /** The response is complete (or the exchange failed and was answered). */
  done(res: AnyResponse, ctx: RequestContext, route: CompiledRoute, status: number): void;
  /** The upstream failed before a response head: the caller answers with `status`. */
  failed(res: AnyResponse, ctx: RequestContext, route: CompiledRoute, status: number, kind: string): void;
  /** The client went away or the upstream broke mid-response. */
  aborted(res: AnyResponse, ctx: RequestContext, route: CompiledRoute, kind: string): void;
}

export interface ForwardOptions {
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  /** Forwarding headers from the peer are believed. */
  trustedPeer: boolean;
  peer: string;
  isTls: boolean;
  /** The rest of a body larger than the inspection limit, still unread in `req`; maxBodyBytes still applies. */
  streamRest: { maxBodyBytes: number } | null;
}

/** Bodies up to this size are sent together with the response head in one write. */
const SINGLE_WRITE_MAX = 16 * 1024;
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);
const FORWARDING = new Set(["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded", "x-real-ip"]);

export function forwardRequest(
  req: AnyRequest,
  res: AnyResponse,
  ctx: RequestContext,
  route: CompiledRoute,
  body: Buffer | null,
  target: string,
  options: ForwardOptions,
  hooks: ForwardHooks,
): void {
  if (options.streamRest === null) forwardBuffered(res, ctx, route, body, target, options, hooks);
  else forwardStreaming(req, res, ctx, route, body, target, options, hooks, 0);
}

/** The common case: the whole (inspected) body is in hand; one write to the upstream, the response streamed back. */
function forwardBuffered(
  res: AnyResponse,
  ctx: RequestContext,
  route: CompiledRoute,
  body: Buffer | null,
  target: string,
  options: ForwardOptions,
  hooks: ForwardHooks,
): void {
  const headers = upstreamHeaders(ctx, route, body, options);
  let head = `${ctx.method} ${target} HTTP/1.1\r\n`;
  for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  head += "\r\n";
  const exchange = new BufferedExchange(res, ctx, route, body, head, hooks);
  exchange.send();
  res.on("close", () => exchange.clientClosed());
}

/** One buffered exchange: the upstream's response events, written to the client (a class, so a request allocates no closures for them). */
class BufferedExchange implements ExchangeHandler {
  upstream: Exchange | null = null;
  private status = 0;
  private replace = false;
  private out: Array<[string, string]> | null = null;
  private expected = -1;
  private headWritten = false;
  private finished = false;
  private attempt = 0;

  constructor(
    private readonly res: AnyResponse,
    private readonly ctx: RequestContext,
    private readonly route: CompiledRoute,
    private readonly body: Buffer | null,
    private readonly head: string,
    private readonly hooks: ForwardHooks,
  ) {}

  send(): void {
    this.upstream = this.route.upstream.pool.request(this.head, this.body, this.ctx.method === "HEAD", this);
  }

  private writeHead(contentLength: number): void {
    this.headWritten = true;
    const out = this.out!;
    if (contentLength >= 0) out.push(["content-length", String(contentLength)]);
    if (this.ctx.isHttp2) this.res.writeHead(this.status, http2Headers(out));
    else (this.res as ServerResponse).writeHead(this.status, flatHeaders(out));
  }

  onHead(code: number, raw: string[], length: number, hasBody: boolean): void {
    this.status = code;
    if (code >= 500) {
      this.replace = true; // stack traces and framework error pages stay behind the proxy
      return;
    }
    const ctx = this.ctx;
    const route = this.route;
    const out = route.responseHeaders.filter(raw);
    if (route.cors !== null) for (const pair of route.cors.responseHeaders(ctx)) out.push(pair);
    out.push(["x-request-id", ctx.id]);
    this.out = out;
    this.expected = hasBody ? length : -1;
    if (!hasBody) {
      // HEAD keeps the upstream's Content-Length; 204/304 have none.
      const declared = ctx.method === "HEAD" && length >= 0 ? length : -1;
      try {
        this.writeHead(declared);
        this.res.end();
      } catch {
        this.replace = true;
        this.status = 502;
      }
    }
  }

  onData(chunk: Buffer): void {
    if (this.replace || this.finished) return;
    const res = this.res;
    try {
      if (!this.headWritten) {
        const expected = this.expected;
        if (expected >= 0 && chunk.length === expected) {
          // The whole body in one piece (the usual small response): head and body leave in one write.
          // Node joins the head with a latin1 string body into a single write; a Buffer body would be a writev.
          this.writeHead(expected);
          if (!this.ctx.isHttp2 && expected <= SINGLE_WRITE_MAX) (res as ServerResponse).end(chunk.toString("latin1"), "latin1");
          else res.end(chunk);
          return;
        }
        this.writeHead(expected);
      }
    } catch {
      this.replace = true;
      this.status = 502;
      return;
    }
    if (!(res as ServerResponse).write(chunk)) {
      const upstream = this.upstream!;
      upstream.pause();
      res.once("drain", () => upstream.resume());
    }
  }

  onEnd(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.replace) {
      this.hooks.failed(this.res, this.ctx, this.route, this.status, this.status === 502 ? "invalid-response-header" : "upstream-5xx");
      return;
    }
    if (!this.headWritten) this.writeHead(this.expected);
    if (!this.res.writableEnded) this.res.end();
    this.hooks.done(this.res, this.ctx, this.route, this.status);
  }

  onError(kind: string, retryable: boolean): void {
    if (this.finished) return;
    // A pooled connection the upstream had already closed: once more on a fresh one, for idempotent methods.
    // Nothing of the response arrived, so nothing here has changed yet.
    if (retryable && this.attempt === 0 && IDEMPOTENT.has(this.ctx.method)) {
      this.attempt = 1;
      this.send();
      return;
    }
    this.finished = true;
    if (this.headWritten) {
      this.res.destroy();
      this.hooks.aborted(this.res, this.ctx, this.route, kind);
      return;
    }
    this.hooks.failed(this.res, this.ctx, this.route, kind === "timeout" ? 504 : 502, kind);
  }

  clientClosed(): void {
    if (this.finished) return;
    this.finished = true;
    this.upstream?.abort();
    this.hooks.aborted(this.res, this.ctx, this.route, "client-closed");
  }
}

/** Bodies above the inspection limit in "pass" mode: node:http streams the rest of the request. */
function forwardStreaming(
  req: AnyRequest,
  res: AnyResponse,
  ctx: RequestContext,
  route: CompiledRoute,
  body: Buffer | null,
  target: string,
  options: ForwardOptions,
  hooks: ForwardHooks,
  attempt = 0,
): void {
  const upstream = route.upstream;
  const headers = upstreamHeaders(ctx, route, body, options);
  let responded = false;
  let connectTimer: NodeJS.Timeout | null = null;
  const upReq: ClientRequest = upstream.request({
    host: upstream.host,
    port: upstream.port,
    method: ctx.method,
    path: target,
    headers,
    agent: upstream.agent,
    setHost: false,
    timeout: options.responseTimeoutMs,
  });

  const fail = (kind: string, status: number): void => {
    if (connectTimer) clearTimeout(connectTimer);
    if (responded) {
      hooks.aborted(res, ctx, route, kind);
      return;
    }
    responded = true;
    hooks.failed(res, ctx, route, status, kind);
  };

  upReq.on("socket", (socket) => {
    if (!(socket as { connecting?: boolean }).connecting) return;
    connectTimer = setTimeout(() => upReq.destroy(Object.assign(new Error("connect timeout"), { code: "CONNECT_TIMEOUT" })), options.connectTimeoutMs);
    socket.once("connect", () => {
      if (connectTimer) clearTimeout(connectTimer);
    });
  });
  upReq.on("timeout", () => upReq.destroy(Object.assign(new Error("upstream timeout"), { code: "UPSTREAM_TIMEOUT" })));
  upReq.on("error", (error: NodeJS.ErrnoException) => {
    // A pooled connection the upstream had already closed: try once more on a fresh one if nothing was answered yet.
    if (
      !responded &&
      attempt === 0 &&
      upReq.reusedSocket &&
      (error.code === "ECONNRESET" || error.code === "EPIPE") &&
      IDEMPOTENT.has(ctx.method) &&
      options.streamRest === null
    ) {
      responded = true;
      forwardStreaming(req, res, ctx, route, body, target, options, hooks, 1);
      return;
    }
    const code = error.code ?? "";
    if (code === "UPSTREAM_TIMEOUT") fail("timeout", 504);
    else if (
      code === "CONNECT_TIMEOUT" ||
      code === "ECONNREFUSED" ||
      code === "EHOSTUNREACH" ||
      code === "ENETUNREACH" ||
      code === "ENOTFOUND" ||
      code === "EAI_AGAIN"
    )
      fail("connect", 502);
    else if (code.startsWith("ERR_TLS") || code.includes("CERT") || code === "DEPTH_ZERO_SELF_SIGNED_CERT" || code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE")
      fail("tls", 502);
    else fail("reset", 502);
  });
  upReq.on("response", (upRes: IncomingMessage) => {
    if (responded) {
      upRes.resume();
      return;
    }
    responded = true;
    if (connectTimer) clearTimeout(connectTimer);
    const status = upRes.statusCode ?? 502;
    if (status >= 500) {
      // Stack traces and framework error pages stay behind the proxy.
      upRes.resume();
      hooks.failed(res, ctx, route, status, "upstream-5xx");
      return;
    }
    const out = route.responseHeaders.filter(upRes.rawHeaders);
    if (route.cors !== null) for (const pair of route.cors.responseHeaders(ctx)) out.push(pair);
    out.push(["x-request-id", ctx.id]);
    const length = upRes.headers["content-length"];
    if (length !== undefined) out.push(["content-length", length]);
    try {
      if (ctx.isHttp2) res.writeHead(status, http2Headers(out));
      else (res as import("node:http").ServerResponse).writeHead(status, flatHeaders(out));
    } catch {
      upRes.resume();
      hooks.failed(res, ctx, route, 502, "invalid-response-header");
      return;
    }
    upRes.on("error", () => {
      res.destroy();
      hooks.aborted(res, ctx, route, "reset");
    });
    upRes.on("end", () => hooks.done(res, ctx, route, status));
    upRes.pipe(res as NodeJS.WritableStream);
  });
  res.on("close", () => {
    if (!res.writableFinished) upReq.destroy();
  });

  if (options.streamRest === null) {
    upReq.end(body ?? undefined);
    return;
  }
  // Prefix already inspected; the remainder streams through, still capped at maxBodyBytes.
  if (body) upReq.write(body);
  let size = body?.length ?? 0;
  const max = options.streamRest.maxBodyBytes;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > max) {
      upReq.destroy();
      req.destroy();
      return;
    }
    if (!upReq.write(chunk)) {
      req.pause();
      upReq.once("drain", () => req.resume());
    }
  });
  req.on("end", () => upReq.end());
  req.resume();
}

function upstreamHeaders(ctx: RequestContext, route: CompiledRoute, body: Buffer | null, options: ForwardOptions): string[] {
  const raw = ctx.rawHeaders;
  const out: string[] = [];
  let named: Set<string> | null = null;
  const connection = ctx.headers.connection;
  if (connection !== undefined) for (const token of String(connection).split(",")) (named ??= new Set()).add(token.trim().toLowerCase());
  let cookies: string[] | null = null;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.charCodeAt(0) === 58) continue; // HTTP/2 pseudo-header
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || lower === "content-length" || lower === "x-request-id" || lower === "expect") continue;
    if (named !== null && named.has(lower)) continue;
    if (FORWARDING.has(lower) && !(options.trustedPeer && lower !== "x-real-ip")) continue;
    // Exactly one Host goes upstream: HTTP/2's is rebuilt from :authority below (they were checked to agree).
    if (ctx.isHttp2 && lower === "host") continue;
    if (ctx.isHttp2 && lower === "cookie") {
      // HTTP/2 may split cookies into several fields; HTTP/1.1 needs one (RFC 9113 §8.2.3).
      (cookies ??= []).push(raw[i + 1]!);
      continue;
    }
    if (options.trustedPeer && (lower === "x-forwarded-for" || lower === "x-forwarded-proto" || lower === "x-forwarded-host")) continue; // rebuilt below
    out.push(name, raw[i + 1]!);
  }
  if (cookies !== null) out.push("cookie", cookies.join("; "));
  if (ctx.isHttp2) out.push("host", ctx.header(":authority") ?? ctx.header("host") ?? route.upstream.hostHeader);
  else if (ctx.headers.host === undefined) out.push("host", route.upstream.hostHeader);
  const priorFor = options.trustedPeer ? ctx.header("x-forwarded-for") : undefined;
  out.push("x-forwarded-for", priorFor ? `${priorFor}, ${options.peer}` : options.peer);
  const priorProto = options.trustedPeer ? ctx.header("x-forwarded-proto") : undefined;
  out.push("x-forwarded-proto", priorProto ?? (options.isTls ? "https" : "http"));
  const priorHost = options.trustedPeer ? ctx.header("x-forwarded-host") : undefined;
  const host = priorHost ?? (ctx.isHttp2 ? ctx.header(":authority") : ctx.header("host"));
  if (host) out.push("x-forwarded-host", host);
  out.push("x-request-id", ctx.id);
  if (body !== null && options.streamRest === null) out.push("content-length", String(body.length));
  else if (body === null && options.streamRest === null && (ctx.method === "POST" || ctx.method === "PUT" || ctx.method === "PATCH"))
    out.push("content-length", "0");
  else if (options.streamRest !== null && ctx.contentLength >= 0) out.push("content-length", String(ctx.contentLength));
  return out;
}

/** [[name, value], …] → [name, value, …], the form node:http takes without building an object. */
function flatHeaders(pairs: ReadonlyArray<readonly [string, string]>): string[] {
  const flat = new Array<string>(pairs.length * 2);
  for (let i = 0; i < pairs.length; i++) {
    flat[2 * i] = pairs[i]![0];
    flat[2 * i + 1] = pairs[i]![1];
  }
  return flat;
}

function http2Headers(pairs: ReadonlyArray<readonly [string, string]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const existing = out[name];
    if (existing === undefined) out[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[name] = [existing, value];
  }
  return out;
}
