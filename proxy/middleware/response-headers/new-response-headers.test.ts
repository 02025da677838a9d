import { describe, expect, it } from "vitest";
import { buildBundle } from "../../test-support/bundle-fixtures.js";
import { newResponseHeaders } from "./new-response-headers.js";

describe("response headers", () => {
  const headers = newResponseHeaders(
    buildBundle({}, { cors: { allowOrigins: ["https://shop.example.com"] }, securityHeaders: { custom: { "Cache-Control": "no-store" } } }),
  );

  it("strips hop-by-hop and stack-revealing headers, replaces the policy's own, and drops upstream CORS", () => {
    const out = headers.filter([
      "Server",
      "nginx/1.22",
      "X-Powered-By",
      "PHP/8.1",
      "X-AspNet-Version",
      "4.0",
      "Connection",
      "keep-alive, X-Internal",
      "X-Internal",
      "secret",
      "Keep-Alive",
      "timeout=5",
      "Transfer-Encoding",
      "chunked",
      "Content-Length",
      "12",
      "X-Frame-Options",
      "ALLOWALL",
      "Cache-Control",
      "public",
      "Access-Control-Allow-Origin",
      "*",
      "Set-Cookie",
      "a=1",
      "Set-Cookie",
      "b=2",
      "Content-Type",
      "text/html",
    ]);
    const names = out.map(([n]) => n);
    for (const gone of [
      "server",
      "x-powered-by",
      "x-aspnet-version",
      "connection",
      "x-internal",
      "keep-alive",
      "transfer-encoding",
      "content-length",
      "access-control-allow-origin",
    ])
      expect(names).not.toContain(gone);
    expect(out.filter(([n]) => n === "set-cookie")).toHaveLength(2);
    expect(out).toContainEqual(["x-frame-options", "DENY"]);
    expect(out).toContainEqual(["cache-control", "no-store"]);
    expect(out).not.toContainEqual(["cache-control", "public"]);
    expect(out).toContainEqual(["strict-transport-security", "max-age=31536000; includeSubDomains"]);
  });
});
