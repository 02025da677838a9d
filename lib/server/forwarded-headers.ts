import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";

/**
 * Makes X-Forwarded-For / -Proto / -Host trustworthy before Next.js sees the request.
 * Next only fills them in when absent, so a client could otherwise claim any IP and
 * dodge per-IP throttling. With no trusted proxies the client's headers are replaced;
 * with n trusted hops the TCP peer is appended, and lib/auth/client-ip.ts reads the
 * entry n places from the right.
 */
export function normaliseForwardedHeaders(req: IncomingMessage, trustedHops: number): void {
  const peer = req.socket.remoteAddress ?? "";
  const encrypted = Boolean((req.socket as TLSSocket).encrypted);
  if (trustedHops === 0) {
    req.headers["x-forwarded-for"] = peer;
    req.headers["x-forwarded-proto"] = encrypted ? "https" : "http";
    delete req.headers["forwarded"];
    // The same-origin check and cookie security read X-Forwarded-Host before Host: only a
    // trusted proxy may set it, or any client could name the origin its request is judged by.
    delete req.headers["x-forwarded-host"];
    delete req.headers["x-forwarded-port"];
    return;
  }
  const prior = req.headers["x-forwarded-for"];
  const list = (Array.isArray(prior) ? prior.join(",") : (prior ?? "")).trim();
  req.headers["x-forwarded-for"] = list ? `${list}, ${peer}` : peer;
  if (!req.headers["x-forwarded-proto"]) req.headers["x-forwarded-proto"] = encrypted ? "https" : "http";
}
