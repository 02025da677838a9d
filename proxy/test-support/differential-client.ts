// Requests written as raw bytes to a proxy in front of a recording origin, each
// under a path of its own, so "the origin received nothing" is about that one
// request: the client of the differential suites.

import { expect } from "vitest";
import type { Origin, ReceivedRequest } from "./origin-server.js";
import { sendRaw } from "./raw-http.js";

export interface RawRequest {
  method?: string;
  path?: string;
  version?: string;
  headers?: Array<[string, string]>;
  body?: string | Buffer;
}

export interface SentRequest {
  status: number;
  /** The unique path the request was sent under. */
  path: string;
  /** What the origin received under that path, if anything. */
  received: ReceivedRequest | undefined;
  reached: boolean;
  text: string;
}

export interface DifferentialClient {
  /** A unique path per request. */
  marker(): string;
  reached(path: string): boolean;
  send(r: RawRequest): Promise<SentRequest>;
  /** The origin received nothing; the status is `status`, or any 4xx. */
  expectRefused(r: RawRequest, status?: number): Promise<SentRequest>;
  /** 200 from the origin, which received the request. */
  expectPassed(r: RawRequest): Promise<SentRequest>;
}

export function rawRequestBytes(path: string, r: RawRequest): Buffer {
  const body = r.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, "utf8");
  const headers: Array<[string, string]> = [["Host", "app.example.com"], ...(r.headers ?? [])];
  if (r.body !== undefined && !headers.some(([n]) => n.toLowerCase() === "content-length" || n.toLowerCase() === "transfer-encoding"))
    headers.push(["Content-Length", String(body.length)]);
  headers.push(["Connection", "close"]);
  const head = `${r.method ?? (r.body === undefined ? "GET" : "POST")} ${path}${r.path ?? ""} ${r.version ?? "HTTP/1.1"}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join("")}\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), body]);
}

/** A multipart/form-data request whose body is `lines` joined with CRLF. */
export function multipartRequest(lines: string[], boundary = "B"): RawRequest {
  return { headers: [["Content-Type", `multipart/form-data; boundary=${boundary}`]], body: lines.join("\r\n") };
}

/** `port` and `origin` are read at each request: suites start them in beforeAll. */
export function differentialClient(port: () => number, origin: () => Origin, prefix = "/d"): DifferentialClient {
  let counter = 0;
  const marker = () => `${prefix}${++counter}`;
  const receivedAt = (path: string) => origin().received.find((r) => r.url === path || r.url.startsWith(`${path}?`) || r.url.startsWith(`${path}/`));
  const reached = (path: string) => receivedAt(path) !== undefined;
  const send = async (r: RawRequest): Promise<SentRequest> => {
    const path = marker();
    const res = await sendRaw(port(), rawRequestBytes(path, r));
    const received = receivedAt(path);
    return { status: res.status, path, received, reached: received !== undefined, text: res.text };
  };
  return {
    marker,
    reached,
    send,
    async expectRefused(r, status) {
      const res = await send(r);
      expect(res.reached, `the origin received a refused request (status ${res.status})`).toBe(false);
      if (status !== undefined) expect(res.status, res.text.slice(0, 300)).toBe(status);
      else {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
      return res;
    },
    async expectPassed(r) {
      const res = await send(r);
      expect(res.status, res.text.slice(0, 300)).toBe(200);
      expect(res.reached).toBe(true);
      return res;
    },
  };
}
