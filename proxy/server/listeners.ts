// Listening sockets: plain HTTP/1.1, and TLS with ALPN offering h2 and
// http/1.1 on one port (node:http2 with allowHTTP1). TLS settings and SNI
// certificates come from the snapshot in force, so a reload that changes them
// applies to the next handshake. Slow clients are cut off by the header and
// request timeouts; malformed requests get a 400/408/431 with a request id.

import { randomBytes } from "node:crypto";
import http from "node:http";
import http2 from "node:http2";
import type { Socket } from "node:net";
import { createSecureContext, type SecureContext } from "node:tls";
import type { Snapshot } from "../runtime/compile-snapshot.js";
import { blocked } from "../runtime/decision.js";
import { RequestContext } from "../runtime/request-context.js";
import { answerHandlerError, reasonOf } from "./block-response.js";
import type { DecisionLog } from "./decision-log.js";
import type { RequestHandler } from "./handle-request.js";
import type { WorkerMetrics } from "./metrics.js";

export interface ListenAddress {
  host: string;
  port: number;
}

export interface Timeouts {
  /** Whole request head must arrive within this. */
  headersMs: number;
  /** Whole request (head and body) must arrive within this. */
  requestMs: number;
  keepAliveMs: number;
  /** Idle connections (and HTTP/2 sessions) are closed after this. */
  idleMs: number;
}

export interface ListenerDeps {
  snapshot(): Snapshot;
  handle: RequestHandler;
  handleExpectContinue: RequestHandler;
  decisions: DecisionLog;
  metrics: WorkerMetrics;
  timeouts: Timeouts;
  /** Header section size Node's parser accepts (the policy's limits are enforced on top). */
  maxHeaderSize: number;
}

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

export type AnyServer = http.Server | http2.Http2SecureServer;

export function createHttpServer(deps: ListenerDeps): http.Server {
  const server = http.createServer(
    {
      maxHeaderSize: deps.maxHeaderSize,
      requestTimeout: deps.timeouts.requestMs,
      headersTimeout: deps.timeouts.headersMs,
      keepAliveTimeout: deps.timeouts.keepAliveMs,
      connectionsCheckingInterval: Math.min(1000, Math.max(100, Math.floor(deps.timeouts.headersMs / 4))),
      requireHostHeader: true,
      joinDuplicateHeaders: false,
    },
    guard(deps.handle),
  );
  server.on("checkContinue", guard(deps.handleExpectContinue));
  server.maxHeadersCount = deps.snapshot().maxHeaderCount + 1;
  server.timeout = deps.timeouts.idleMs;
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => answerClientError(error, socket, deps));
  // CONNECT (tunnels) and Upgrade (WebSocket) are not proxied: answer instead of dropping the connection.
  server.on("connect", (_req: http.IncomingMessage, socket: Socket) => refuseRaw(socket, 405, deps, "method.connect"));
  server.on("upgrade", (_req: http.IncomingMessage, socket: Socket) => refuseRaw(socket, 501, deps, "protocol.upgrade"));
  return server;
}

function refuseRaw(socket: Socket, status: number, deps: ListenerDeps, ruleId: string): void {
  const id = `${idPrefix}${(++errorCounter).toString(36)}`;
  const reason = status === 405 ? "method not allowed" : "not implemented";
  const body = `{"status":${status},"error":"${reason}","requestId":"${id}"}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nx-request-id: ${id}\r\nconnection: close\r\n\r\n${body}`,
  );
  deps.metrics.block(status === 405 ? "method" : "protocol", ruleId);
  deps.metrics.observe(status, 0);
}

export function createTlsServer(deps: ListenerDeps, files: TlsFiles | null): http2.Http2SecureServer {
  const snapshot = deps.snapshot();
  if (files === null && snapshot.certificates.length === 0) {
    throw new Error("a TLS listener needs a certificate: give --tls-cert and --tls-key, or certificates in the policy (tls.certificates)");
  }
  let contexts = new WeakMap<Snapshot, SecureContext | null>();
  const defaultContext = (s: Snapshot): SecureContext | null => {
    let context = contexts.get(s);
    if (context === undefined) {
      context = files ? createSecureContext({ cert: files.cert, key: files.key, minVersion: s.listenerTls.minVersion, ciphers: s.listenerTls.ciphers }) : null;
      contexts.set(s, context);
    }
    return context;
  };
  const initial = files ?? null;
  const server = http2.createSecureServer(
    {
      allowHTTP1: true,
      ...(initial ? { cert: initial.cert, key: initial.key } : {}),
      minVersion: snapshot.listenerTls.minVersion,
      ciphers: snapshot.listenerTls.ciphers,
      honorCipherOrder: true,
      SNICallback: (servername, callback) => {
        const s = deps.snapshot();
        const host = servername.toLowerCase();
        for (const certificate of s.certificates) {
          for (const pattern of certificate.hosts) {
            if (pattern === host || (pattern.startsWith("*.") && host.endsWith(pattern.slice(1)) && host.indexOf(".") === host.length - pattern.length + 1)) {
              callback(null, certificate.context);
              return;
            }
          }
        }
        const fallback = defaultContext(s) ?? s.certificates[0]?.context ?? null;
        if (fallback) callback(null, fallback);
        else callback(new Error("no certificate for this host"));
      },
      settings: { maxHeaderListSize: deps.maxHeaderSize },
      maxSessionMemory: 10,
    },
    guard(deps.handle),
  );
  server.on("checkContinue", guard(deps.handleExpectContinue));
  // HTTP/1.1 over TLS is served by the HTTP/1 machinery: give it the same limits.
  Object.assign(server, {
    headersTimeout: deps.timeouts.headersMs,
    requestTimeout: deps.timeouts.requestMs,
    keepAliveTimeout: deps.timeouts.keepAliveMs,
    maxHeadersCount: snapshot.maxHeaderCount + 1,
  });
  server.setTimeout(deps.timeouts.idleMs);
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => answerClientError(error, socket, deps));
  server.on("sessionError", () => undefined);
  server.on("tlsClientError", () => undefined);
  // Called by the owner after a reload: the next handshake uses the new TLS floor.
  (server as unknown as { applySnapshot: (s: Snapshot) => void }).applySnapshot = (s: Snapshot) => {
    contexts = new WeakMap();
    if (files)
      server.setSecureContext({
        cert: files.cert,
        key: files.key,
        minVersion: s.listenerTls.minVersion,
        ciphers: s.listenerTls.ciphers,
        honorCipherOrder: true,
      });
    (server as unknown as { maxHeadersCount: number }).maxHeadersCount = s.maxHeaderCount + 1;
  };
  return server;
}

/** After a reload: Node's header-count ceiling and the TLS floor follow the new snapshot. */
export function applySnapshotToServer(server: AnyServer, snapshot: Snapshot): void {
  const apply = (server as unknown as { applySnapshot?: (s: Snapshot) => void }).applySnapshot;
  if (apply) apply(snapshot);
  else (server as http.Server).maxHeadersCount = snapshot.maxHeaderCount + 1;
}

export function listen(server: AnyServer, address: ListenAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(address.port, address.host, () => {
      server.removeListener("error", reject);
      resolve();
    });
  });
}

/** Requests whose handler threw (a bug) still get an answer, and the process keeps serving. */
function guard(handler: RequestHandler): RequestHandler {
  return (req, res) => {
    try {
      handler(req, res);
    } catch (error) {
      answerHandlerError(res, error);
    }
  };
}

const idPrefix = `${randomBytes(3).toString("hex")}-e`;
let errorCounter = 0;

/** The parser refused the request before any handler saw it. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket, deps: ListenerDeps): void {
  const code = error.code ?? "";
  if (code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  // A version the parser cannot read ("HTTP/1.2", "HTTP/3.0") is the 505 of RFC 9110 §15.6.6, not a generic 400.
  const status =
    code === "HPE_HEADER_OVERFLOW"
      ? 431
      : code === "ERR_HTTP_REQUEST_TIMEOUT" || code === "HPE_HEADER_TIMEOUT"
        ? 408
        : code === "HPE_INVALID_VERSION" && isVersionLine(error)
          ? 505
          : 400;
  const id = `${idPrefix}${(++errorCounter).toString(36)}`;
  const body = `{"status":${status},"error":"${reasonOf(status)}","requestId":"${id}"}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${reasonOf(status)}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\ncache-control: no-store\r\nx-request-id: ${id}\r\nconnection: close\r\n\r\n${body}`,
  );
  const ctx = new RequestContext(id, performance.now(), "-", "", "", {}, [], false, null);
  ctx.clientIp = socket.remoteAddress ?? "";
  const family = status === 408 ? "limits" : "protocol";
  const ruleId =
    status === 431 ? "limits.header-bytes" : status === 408 ? "limits.request-timeout" : status === 505 ? "protocol.http-version" : `protocol.parse-error`;
  deps.decisions.record(ctx, null, blocked(status, family, ruleId, "connection", "", code || error.message), status);
  deps.metrics.block(family, ruleId);
  deps.metrics.observe(status, 0);
}

/** The refused request line is well formed apart from its version ("GET / HTTP/1.2\r\n"); a bare LF or garbage stays a 400. */
function isVersionLine(error: NodeJS.ErrnoException): boolean {
  const raw = (error as { rawPacket?: Buffer }).rawPacket;
  if (raw === undefined) return false;
  const line = raw.toString("latin1", 0, Math.min(raw.length, 8192));
  return /^[A-Z]+ [^\s]+ HTTP\/\d\.\d\r\n/.test(line);
}
