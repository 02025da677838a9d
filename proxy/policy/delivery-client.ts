// The proxy's side of the delivery wire format (lib/policy-spec/delivery-schema.ts):
//   GET  {portal}/api/v1/delivery/bundle?hash=<running>&wait=<s>  → 200 signed envelope | 304 | 401
//   POST {portal}/api/v1/delivery/status  (ProxyStatusReport)      → 204
//   POST {portal}/api/v1/delivery/events  (gzip SecurityEventBatch) → 202 | 429 Retry-After
// Both carry the target's token and this instance's id. Only transport lives
// here; what a 200 body is worth is decided by verifyDeliveryEnvelope.

import http from "node:http";
import https from "node:https";
import { rootCertificates } from "node:tls";
import type { ProxyStatusReport } from "@/lib/policy-spec";

export interface DeliveryClientOptions {
  portalUrl: string;
  token: string;
  instanceId: string;
  /** Extra CA (PEM) trusted for an https portal. */
  extraCa: string | null;
  /** Largest envelope accepted (default 64 MiB). */
  maxBytes?: number;
  /** Added to the long-poll wait before the request is abandoned (default 15 s). */
  graceMs?: number;
  statusTimeoutMs?: number;
}

export type DeliveryAnswer =
  | { kind: "set"; text: string }
  | { kind: "not-modified" }
  /** 401/403: the token is unknown or revoked. */
  | { kind: "unauthorized"; status: number };

/** The portal's answer to an events batch: 2xx stored, 429 retry after, anything else retry with backoff. */
export interface EventsAnswer {
  status: number;
  retryAfterMs: number | null;
}

export class DeliveryHttpError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = "DeliveryHttpError";
  }
}

export class DeliveryClient {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(private readonly options: DeliveryClientOptions) {
    this.base = new URL(options.portalUrl.endsWith("/") ? options.portalUrl : `${options.portalUrl}/`);
    const agentOptions = { keepAlive: true, maxSockets: 4, ...(options.extraCa ? { ca: [...rootCertificates, options.extraCa] } : {}) };
    this.agent = this.base.protocol === "https:" ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  /** Long poll: resolves with a new set, "not modified" after `waitSeconds`, or "unauthorized"; rejects on anything else. */
  fetchSet(runningHash: string | null, waitSeconds: number, signal?: AbortSignal): Promise<DeliveryAnswer> {
    const url = new URL("api/v1/delivery/bundle", this.base);
    if (runningHash !== null) url.searchParams.set("hash", runningHash);
    url.searchParams.set("wait", String(waitSeconds));
    const maxBytes = this.options.maxBytes ?? 64 * 1024 * 1024;
    return this.exchange(url, "GET", null, waitSeconds * 1000 + (this.options.graceMs ?? 15_000), signal, (response, done) => {
      const status = response.statusCode ?? 0;
      if (status === 304) return done(null, { kind: "not-modified" });
      if (status === 401 || status === 403) return done(null, { kind: "unauthorized", status });
      if (status !== 200) return done(new DeliveryHttpError(`portal answered ${status} to ${url.pathname}`, status));
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) done(new DeliveryHttpError(`delivery envelope larger than ${maxBytes} bytes`, status));
        else chunks.push(chunk);
      });
      response.on("end", () => done(null, { kind: "set", text: Buffer.concat(chunks).toString("utf8") }));
      return undefined;
    });
  }

  postStatus(report: ProxyStatusReport, signal?: AbortSignal): Promise<void> {
    const url = new URL("api/v1/delivery/status", this.base);
    return this.exchange<void>(url, "POST", JSON.stringify(report), this.options.statusTimeoutMs ?? 5000, signal, (response, done) => {
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) return done(null, undefined);
      return done(new DeliveryHttpError(`portal answered ${status} to the status report`, status));
    });
  }

  /** POST {portal}/api/v1/delivery/events with a gzip-compressed SecurityEventBatch; resolves with the status and Retry-After. */
  postEvents(gzipped: Buffer, timeoutMs: number, signal?: AbortSignal): Promise<EventsAnswer> {
    const url = new URL("api/v1/delivery/events", this.base);
    return this.exchange<EventsAnswer>(
      url,
      "POST",
      gzipped,
      timeoutMs,
      signal,
      (response, done) => {
        const header = response.headers["retry-after"];
        const seconds = header === undefined ? NaN : Number(header);
        return done(null, { status: response.statusCode ?? 0, retryAfterMs: Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 3600) * 1000 : null });
      },
      { "content-encoding": "gzip" },
    );
  }

  close(): void {
    this.agent.destroy();
  }

  private exchange<T>(
    url: URL,
    method: "GET" | "POST",
    body: string | Buffer | null,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    onResponse: (response: http.IncomingMessage, done: (error: Error | null, value?: T) => void) => void,
    extraHeaders: Record<string, string> = {},
  ): Promise<T> {
    const client = url.protocol === "https:" ? https : http;
    if (signal?.aborted) return Promise.reject(new DeliveryHttpError("stopped", null));
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const done = (error: Error | null, value?: T) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        signal?.removeEventListener("abort", onAbort);
        if (error) {
          request.destroy();
          reject(error);
        } else resolve(value as T);
      };
      const onAbort = () => done(new DeliveryHttpError("stopped", null));
      const request = client.request(url, {
        method,
        agent: this.agent,
        headers: {
          authorization: `Bearer ${this.options.token}`,
          "x-rampart-instance": this.options.instanceId,
          accept: "application/json",
          ...(body !== null ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) } : {}),
          ...extraHeaders,
        },
      });
      const deadline = setTimeout(() => done(new DeliveryHttpError(`portal did not answer within ${timeoutMs} ms`, null)), timeoutMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      request.on("response", (response) => {
        response.on("error", (error) => done(error));
        onResponse(response, done);
        // Bodies nobody reads (304, errors) are drained so the connection can be reused.
        if (response.listenerCount("data") === 0) response.resume();
      });
      request.on("error", (error) => done(error));
      request.end(body ?? undefined);
    });
  }
}
