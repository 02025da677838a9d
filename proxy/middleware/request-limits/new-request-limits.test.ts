import { describe, expect, it } from "vitest";
import { buildBundle, requestContext, type RequestInit } from "../../test-support/bundle-fixtures.js";
import { growthRatio, LINEAR_GROWTH_LIMIT } from "../../test-support/growth-ratio.js";
import { exceedsJsonDepth } from "./json-depth.js";
import { newRequestLimits } from "./new-request-limits.js";

const limits = buildBundle({
  limits: {
    maxUrlBytes: 64,
    maxHeaderBytes: 300,
    maxHeaderCount: 5,
    maxParameterCount: 3,
    maxParameterBytes: 20,
    maxBodyBytes: 100,
    maxJsonBytes: 80,
    maxJsonDepth: 3,
  },
}).limits;

function run(init: RequestInit) {
  const middleware = newRequestLimits(limits);
  const ctx = requestContext(init);
  const head = middleware.onRequest!(ctx) as { status: number; ruleId: string } | null;
  if (head) return head;
  return middleware.onBody!(ctx) as { status: number; ruleId: string } | null;
}

describe("request limits", () => {
  it.each<[string, RequestInit, number | null, string | null]>([
    ["small request", { url: "/a?x=1" }, null, null],
    ["URL too long", { url: `/${"a".repeat(80)}` }, 414, "limits.url-bytes"],
    ["too many headers", { headers: { a: "1", b: "2", c: "3", d: "4", e: "5" } }, 431, "limits.header-count"],
    ["headers too large", { headers: { cookie: "x".repeat(400) } }, 431, "limits.header-bytes"],
    ["too many query parameters", { url: "/?a=1&b=2&c=3&d=4" }, 400, "limits.parameter-count"],
    ["query parameter too long", { url: `/?q=${"x".repeat(30)}` }, 400, "limits.parameter-bytes"],
    ["empty pairs do not count", { url: "/?a=1&&&b=2" }, null, null],
    ["body too large", { method: "POST", body: "x".repeat(101), headers: { "content-type": "text/plain" } }, 413, "limits.body-bytes"],
    ["JSON too large", { method: "POST", body: `{"a":"${"x".repeat(80)}"}`, headers: { "content-type": "application/json" } }, 413, "limits.json-bytes"],
    ["JSON too deep", { method: "POST", body: "[[[[1]]]]", headers: { "content-type": "application/json" } }, 400, "limits.json-depth"],
    ["JSON depth inside strings does not count", { method: "POST", body: '{"a":"[[[[[["}', headers: { "content-type": "application/json" } }, null, null],
    ["+json media types are JSON", { method: "POST", body: "[[[[1]]]]", headers: { "content-type": "application/problem+json" } }, 400, "limits.json-depth"],
    [
      "form parameters count",
      { method: "POST", body: "a=1&b=2&c=3&d=4", headers: { "content-type": "application/x-www-form-urlencoded" } },
      400,
      "limits.parameter-count",
    ],
  ])("%s", (_name, init, status, ruleId) => {
    const verdict = run(init);
    expect(verdict?.status ?? null).toBe(status);
    expect(verdict?.ruleId ?? null).toBe(ruleId);
  });

  it("refuses a declared Content-Length above the limit before reading the body", () => {
    const ctx = requestContext({ method: "POST" });
    ctx.contentLength = 1000;
    expect(newRequestLimits(limits).onRequest!(ctx)).toMatchObject({ status: 413 });
  });

  it("scans JSON depth in linear time on a 1 MiB adversarial body", () => {
    const adversarial = (bytes: number) => Buffer.from("[".repeat(bytes / 2) + '"' + '\\"'.repeat(bytes / 4));
    expect(exceedsJsonDepth(adversarial(1024 * 1024), 32)).toBe(true);
    // Deep enough to be refused, so the scan reads every byte: compare 1 MiB with four 256 KiB scans.
    const ratio = growthRatio((body: Buffer) => exceedsJsonDepth(body, Infinity), adversarial(1024 * 1024), adversarial(256 * 1024));
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  }, 60_000);
});
