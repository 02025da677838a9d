// The portal's API without Next.js: lib/cli/serve.ts puts this before Next's request
// handler, and it calls the route handlers of app/api/**/route.ts itself (the table is
// ./api-route-table.ts). Everything a route handler does — authentication, the permission
// table, validation, problem+json — is in lib/api/handle-operation.ts either way; what this
// saves is Next's own per-request machinery, which profiles of `npm run bench:portal` put
// at most of an API request's CPU once the queries were cut (issue 19). Requests the table
// is not sure of go on to Next unchanged, and `next dev` serves the same files by itself.
//
// What Next adds to a route handler's answer, this adds too: the fixed security headers of
// next.config.ts (./response-security-headers.ts), the handler's Request with the URL Next
// would give it (the listening host and port, https when the request came over TLS or a
// trusted proxy said so), an abort signal that fires when the client goes away, and gzip for
// compressible bodies of 1 KiB or more unless the response says `no-transform`.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { createGzip, gzip as gzipCallback, type Gzip } from "node:zlib";
import { problemResponse, toAppError } from "@/lib/api/problem";
import { AppError } from "@/lib/errors/app-error";
import { ROUTE_METHODS, type ApiRouteTable, type RouteMethod } from "./api-route-table";
import { API_CONTENT_SECURITY_POLICY, EVERY_RESPONSE_HEADERS } from "./response-security-headers";

const gzip = promisify(gzipCallback);

const SERVED_METHODS: ReadonlySet<string> = new Set(ROUTE_METHODS);
const COMPRESS_FROM_BYTES = 1024;
const COMPRESSIBLE = /^(?:text\/|application\/(?:json|problem\+json|x-ndjson|yaml|x-yaml|xml|javascript)\b|[^;]*\+(?:json|xml)\b)/i;

export type ApiFrontOptions = {
  table: ApiRouteTable;
  /** host:port as Next.js puts it in a route handler's request.url (the address it was given to listen on). */
  authority: string;
  log?: (line: string) => void;
};

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** `next` with the API served in front of it. */
export function apiFront(next: Handler, { table, authority, log = (line) => process.stderr.write(`${line}\n`) }: ApiFrontOptions): Handler {
  return (req, res) => {
    const method = req.method ?? "";
    const url = req.url ?? "";
    if (!SERVED_METHODS.has(method) || !url.startsWith("/api/")) return next(req, res);
    const query = url.indexOf("?");
    const match = table.match(query === -1 ? url : url.slice(0, query));
    if (!match) return next(req, res);
    void table
      .load(match.file)
      .then((mod) => {
        const handler = mod?.[method as RouteMethod];
        return handler ? serve(req, res, handler, match.params, authority) : next(req, res);
      })
      .catch((error: unknown) => {
        log(`[api-front] ${method} ${url}: ${(error as Error)?.stack ?? String(error)}`);
        if (res.headersSent) return void res.destroy();
        // The same answer, headers and all, as any other error: a problem+json that says nothing of it.
        return send(req, res, problemResponse(new AppError("INTERNAL", "Something went wrong on our side.")), new AbortController().signal);
      })
      .catch(() => res.destroy());
  };
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  handler: (request: Request, context: { params: Promise<Record<string, string>> }) => Response | Promise<Response>,
  params: Record<string, string>,
  authority: string,
): Promise<void> {
  const aborted = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) aborted.abort();
  });
  let request: Request;
  try {
    request = toRequest(req, authority, aborted.signal);
  } catch {
    // Node's parser accepted the head, so this should not happen; if a header or the target
    // is one the fetch Request refuses, that is the client's input: 400, not 500.
    await send(req, res, problemResponse(new AppError("BAD_REQUEST", "The request could not be read.")), aborted.signal);
    return;
  }
  let response: Response;
  try {
    response = await handler(request, { params: Promise.resolve(params) });
  } catch (thrown) {
    // handleOperation answers its own errors; this is for a handler that throws past it.
    const error = toAppError(thrown);
    if (error.code === "INTERNAL") console.error(`[api] ${req.method} ${req.url}`, thrown);
    response = problemResponse(error);
  }
  await send(req, res, response, aborted.signal);
}

function toRequest(req: IncomingMessage, authority: string, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const name in req.headers) {
    const value = req.headers[name];
    if (typeof value === "string") headers.append(name, value);
    else if (value) for (const item of value) headers.append(name, item);
  }
  // Next's rule (next-server attachRequestMeta): https when the socket is TLS or X-Forwarded-Proto,
  // which lib/server/forwarded-headers.ts has already made trustworthy, says so.
  const scheme = String(req.headers["x-forwarded-proto"] ?? "").includes("https") ? "https" : "http";
  // A GET's body is ignored, as under Next (a Request cannot carry one); DELETE has one only when framed.
  const hasBody = req.method === "GET" ? false : req.method !== "DELETE" || Boolean(req.headers["content-length"] || req.headers["transfer-encoding"]);
  return new Request(`${scheme}://${authority}${req.url}`, {
    method: req.method,
    headers,
    signal,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
  } as RequestInit);
}

async function send(req: IncomingMessage, res: ServerResponse, response: Response, signal: AbortSignal): Promise<void> {
  // A handler may answer before it reads the body (401, 403, 413). What is left of the body
  // must not be read as the next request, nor drained for as long as the client cares to
  // send: the connection ends with this response.
  if (!req.complete) {
    res.setHeader("connection", "close");
    res.once("finish", () => req.destroy());
  }
  // next.config.ts's headers first, so a handler's own value wins, as it does under Next.
  for (const name in EVERY_RESPONSE_HEADERS) res.setHeader(name, EVERY_RESPONSE_HEADERS[name]!);
  res.setHeader("Content-Security-Policy", API_CONTENT_SECURITY_POLICY);
  for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  res.statusCode = response.status;

  const body = response.body;
  if (!body || response.status === 204 || response.status === 304) {
    await body?.cancel();
    res.end();
    return;
  }
  const compress = wantsGzip(req, response.headers);
  if (compress !== null) res.setHeader("vary", appendVary(res.getHeader("vary"), "Accept-Encoding"));

  const reader = body.getReader();
  try {
    const first = await reader.read();
    const second = first.done ? first : await reader.read();
    if (second.done) {
      // The whole body in one piece (every JSON answer): sent with its length.
      let bytes = first.value ?? new Uint8Array(0);
      if (compress && bytes.byteLength >= COMPRESS_FROM_BYTES) {
        bytes = await gzip(bytes);
        res.setHeader("content-encoding", "gzip");
      }
      res.setHeader("content-length", bytes.byteLength);
      res.end(bytes);
      return;
    }
    // A stream (the NDJSON export): written as it comes, waiting for the socket to drain.
    let sink: ServerResponse | Gzip = res;
    if (compress) {
      res.removeHeader("content-length");
      res.setHeader("content-encoding", "gzip");
      sink = createGzip();
      sink.pipe(res);
    }
    await write(sink, first.value!, signal);
    await write(sink, second.value, signal);
    for (;;) {
      if (signal.aborted) return;
      const next = await reader.read();
      if (next.done) break;
      await write(sink, next.value, signal);
    }
    sink.end();
  } finally {
    if (signal.aborted) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

function write(sink: ServerResponse | Gzip, chunk: Uint8Array, signal: AbortSignal): Promise<void> | void {
  if (sink.write(chunk) || signal.aborted) return;
  return new Promise((resolve) => {
    const done = () => {
      sink.off("drain", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    sink.on("drain", done);
    signal.addEventListener("abort", done);
  });
}

/** true: compress; false: compressible but the client or the response said no; null: not compressible. */
function wantsGzip(req: IncomingMessage, headers: Headers): boolean | null {
  const type = headers.get("content-type");
  if (!type || !COMPRESSIBLE.test(type) || headers.has("content-encoding")) return null;
  if (/\bno-transform\b/i.test(headers.get("cache-control") ?? "")) return false;
  return acceptsGzip(req.headers["accept-encoding"]);
}

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(",")) {
    const [name, ...parameters] = part.split(";");
    const coding = name!.trim().toLowerCase();
    if (coding !== "gzip" && coding !== "*") continue;
    const q = parameters.map((p) => /^\s*q=([\d.]+)\s*$/i.exec(p)).find(Boolean);
    return !q || Number(q[1]) > 0;
  }
  return false;
}

function appendVary(current: number | string | string[] | undefined, name: string): string {
  const existing = current === undefined ? "" : String(current);
  if (existing.split(",").some((v) => v.trim().toLowerCase() === name.toLowerCase() || v.trim() === "*")) return existing;
  return existing ? `${existing}, ${name}` : name;
}
