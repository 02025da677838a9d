// A stand-in application for socket tests: records what reached it and
// answers according to the path.

import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
  /** The body's bytes as they arrived (compressed bodies are forwarded as sent). */
  bytes: Buffer;
}

export interface Origin {
  url: string;
  port: number;
  received: ReceivedRequest[];
  /** Requests to /hold are answered only now ("held"), so a test decides when, not a timer. */
  releaseHeld(): void;
  close(): Promise<void>;
}

export async function startOrigin(tls?: { cert: Buffer; key: Buffer }): Promise<Origin> {
  const received: ReceivedRequest[] = [];
  const held: http.ServerResponse[] = [];
  const handler: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const bytes = Buffer.concat(chunks);
      const body = bytes.toString("utf8");
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, rawHeaders: req.rawHeaders, body, bytes });
      const path = (req.url ?? "/").split("?")[0]!;
      res.setHeader("server", "secret-origin/1.2.3");
      res.setHeader("x-powered-by", "Express");
      if (path === "/boom") {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("Traceback (most recent call last): password=hunter2 at db.py:42");
      } else if (path === "/hold") {
        held.push(res);
      } else if (path === "/chunked") {
        res.writeHead(200, { "content-type": "text/plain" });
        res.write("part1-");
        setTimeout(() => res.end("part2"), 20);
      } else if (path === "/big") {
        res.writeHead(200, { "content-type": "application/octet-stream" });
        res.end(Buffer.alloc(2 * 1024 * 1024, 97));
      } else if (path === "/cookies") {
        res.setHeader("set-cookie", ["a=1; Path=/", "b=2; Path=/"]);
        res.setHeader("x-aspnet-version", "4.0");
        res.setHeader("x-frame-options", "ALLOWALL");
        res.end("ok");
      } else if (path === "/no-content") {
        res.writeHead(204);
        res.end();
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: true, method: req.method, url: req.url, bodyLength: body.length }));
      }
    });
  };
  const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, handler) : http.createServer(handler);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    received,
    releaseHeld: () => {
      for (const res of held.splice(0)) if (!res.destroyed) res.end("held");
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
