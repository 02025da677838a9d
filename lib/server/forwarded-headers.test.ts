import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { normaliseForwardedHeaders } from "./forwarded-headers";

function request(headers: Record<string, string>, remoteAddress = "198.51.100.4", encrypted = false) {
  return { headers: { ...headers }, socket: { remoteAddress, encrypted } } as unknown as IncomingMessage;
}

describe("normaliseForwardedHeaders", () => {
  it("replaces client-sent X-Forwarded-For when no proxy is trusted", () => {
    const req = request({ "x-forwarded-for": "1.2.3.4", "x-forwarded-proto": "https", forwarded: "for=1.2.3.4" });
    normaliseForwardedHeaders(req, 0);
    expect(req.headers["x-forwarded-for"]).toBe("198.51.100.4");
    expect(req.headers["x-forwarded-proto"]).toBe("http");
    expect(req.headers.forwarded).toBeUndefined();
  });

  it("drops a client-sent X-Forwarded-Host when no proxy is trusted, and keeps a trusted proxy's", () => {
    const untrusted = request({ host: "portal.example.com", "x-forwarded-host": "evil.example", "x-forwarded-port": "443" });
    normaliseForwardedHeaders(untrusted, 0);
    expect(untrusted.headers["x-forwarded-host"]).toBeUndefined();
    expect(untrusted.headers["x-forwarded-port"]).toBeUndefined();
    expect(untrusted.headers.host).toBe("portal.example.com");
    const trusted = request({ host: "10.0.0.5:3000", "x-forwarded-host": "portal.example.com" }, "10.0.0.2");
    normaliseForwardedHeaders(trusted, 1);
    expect(trusted.headers["x-forwarded-host"]).toBe("portal.example.com");
  });

  it("appends the peer when proxies are trusted", () => {
    const req = request({ "x-forwarded-for": "203.0.113.5", "x-forwarded-proto": "https" }, "10.0.0.2");
    normaliseForwardedHeaders(req, 1);
    expect(req.headers["x-forwarded-for"]).toBe("203.0.113.5, 10.0.0.2");
    expect(req.headers["x-forwarded-proto"]).toBe("https");
  });
});
