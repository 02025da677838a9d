// The admin listener: GET /healthz (the process is alive), GET /readyz (a
// valid policy is in force in every worker and each upstream answers), GET
// /metrics (Prometheus text). Nothing here changes state.

import http from "node:http";
import https from "node:https";

export interface AdminHooks {
  /** null when ready, else why not. */
  notReady(): Promise<string | null>;
  metrics(): Promise<string>;
}

export function createAdminServer(hooks: AdminHooks): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" }).end("method not allowed\n");
      return;
    }
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain", "cache-control": "no-store" }).end("ok\n");
      return;
    }
    if (path === "/readyz") {
      hooks.notReady().then(
        (reason) => {
          res
            .writeHead(reason === null ? 200 : 503, { "content-type": "text/plain", "cache-control": "no-store" })
            .end(reason === null ? "ready\n" : `not ready: ${reason}\n`);
        },
        (error: unknown) => res.writeHead(503, { "content-type": "text/plain" }).end(`not ready: ${(error as Error).message}\n`),
      );
      return;
    }
    if (path === "/metrics") {
      hooks.metrics().then(
        (text) => res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" }).end(text),
        (error: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(`metrics unavailable: ${(error as Error).message}\n`),
      );
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  });
}

const probeCache = new Map<string, { at: number; error: string | null }>();

/** Any HTTP answer from the upstream counts as "answers"; results are cached for a second. */
export function probeUpstream(url: string, timeoutMs = 2000): Promise<string | null> {
  const cached = probeCache.get(url);
  if (cached && Date.now() - cached.at < 1000) return Promise.resolve(cached.error);
  return new Promise((resolve) => {
    const done = (error: string | null) => {
      probeCache.set(url, { at: Date.now(), error });
      resolve(error);
    };
    const target = new URL(url);
    const client = target.protocol === "https:" ? https : http;
    // Readiness asks "is something listening and speaking HTTP", not "is its certificate valid" (the proxy checks that per request).
    const request = client.request(target, { method: "HEAD", timeout: timeoutMs, rejectUnauthorized: false }, (response) => {
      response.resume();
      done(null);
    });
    request.on("timeout", () => request.destroy(new Error("timeout")));
    request.on("error", (error) => done(`upstream ${url}: ${error.message}`));
    request.end();
  });
}
