// The proxy's own answers: a small JSON body with the status and the request
// id (which the decision log carries too), the route's security headers, and
// "Connection: close" when a request body was left unread, so the connection
// cannot be reused with unknown bytes in flight.

import type { Http2ServerResponse } from "node:http2";
import type { ServerResponse } from "node:http";
import { logEvent } from "./decision-log.js";

export type AnyResponse = ServerResponse | Http2ServerResponse;

const REASONS: Record<number, string> = {
  400: "bad request",
  401: "unauthorized",
  403: "forbidden",
  404: "not found",
  405: "method not allowed",
  408: "request timeout",
  413: "content too large",
  414: "uri too long",
  415: "unsupported media type",
  429: "too many requests",
  431: "request header fields too large",
  500: "internal error",
  502: "bad gateway",
  503: "service unavailable",
  504: "gateway timeout",
  505: "http version not supported",
};

export function reasonOf(status: number): string {
  return REASONS[status] ?? "error";
}

export function writeProxyResponse(
  res: AnyResponse,
  status: number,
  requestId: string,
  security: ReadonlyArray<readonly [string, string]>,
  extra: ReadonlyArray<readonly [string, string]> | undefined,
  closeConnection: boolean,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = status === 204 ? "" : `{"status":${status},"error":"${reasonOf(status)}","requestId":"${requestId}"}\n`;
  const headers: Record<string, string | string[]> = {
    "content-type": "application/json",
    "cache-control": "no-store",
    "x-request-id": requestId,
  };
  if (status !== 204) headers["content-length"] = String(Buffer.byteLength(body));
  for (const [name, value] of security) headers[name] = value;
  if (extra) for (const [name, value] of extra) headers[name] = value;
  const isHttp2 = "stream" in res;
  if (closeConnection && !isHttp2) headers.connection = "close";
  res.writeHead(status, headers);
  res.end(body);
}

/** A handler threw (a bug): the request still gets an answer (500, or a reset once the head went out) and the process keeps serving. */
export function answerHandlerError(res: AnyResponse, error: unknown): void {
  logEvent("handler-error", { message: (error as Error).message, stack: (error as Error).stack });
  if (!res.headersSent) {
    res.writeHead(500, { "content-type": "application/json", connection: "close" });
    res.end('{"status":500,"error":"internal error"}\n');
  } else res.destroy();
}
