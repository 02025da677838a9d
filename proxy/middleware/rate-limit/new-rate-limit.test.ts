import { describe, expect, it } from "vitest";
import { buildBundle, requestContext } from "../../test-support/bundle-fixtures.js";
import { newRateLimit } from "./new-rate-limit.js";

describe("rate limits", () => {
  const limits = buildBundle({}, { tokenVerification: { required: false, issuers: [{ issuer: "https://login.example.com/", audiences: ["api"], jwksUrl: "https://login.example.com/jwks.json" }] }, rateLimits: [{ id: "per-ip", key: "client-ip", requests: 2, windowSeconds: 10, burst: 1 }, { id: "writes", key: "token-subject", requests: 1, windowSeconds: 60, methods: ["POST"], mode: "log-only" }] }).rateLimits;

  it("allows requests + burst, then answers 429 with Retry-After, then refills", () => {
    let now = 0;
    const m = newRateLimit(limits, () => now)!;
    const hit = (ip = "192.0.2.1") => m.onRequest!(requestContext({ clientIp: ip })) as { status: number; headers: Array<[string, string]> } | null;
    expect([hit(), hit(), hit()]).toEqual([null, null, null]);
    const refused = hit();
    expect(refused).toMatchObject({ status: 429, ruleId: "rate-limit.per-ip" });
    expect(Number(refused!.headers[0]![1])).toBeGreaterThanOrEqual(1);
    expect(hit("192.0.2.2")).toBeNull(); // another client has its own bucket
    now += 5000; // 2 requests per 10 s → one token back
    expect(hit()).toBeNull();
    expect(hit()).toMatchObject({ status: 429 });
  });

  it("keys token-subject limits by the verified subject, and log-only limits only log", () => {
    const m = newRateLimit(limits, () => 0)!;
    const post = (sub: string | null) => {
      const ctx = requestContext({ method: "POST", clientIp: `198.51.100.${Math.floor(Math.random() * 200)}` });
      ctx.claims = sub === null ? null : { sub };
      return { verdict: m.onRequest!(ctx), logged: ctx.logged };
    };
    expect(post("alice").verdict).toBeNull();
    const second = post("alice");
    expect(second.verdict).toBeNull();
    expect(second.logged).toMatchObject([{ ruleId: "rate-limit.writes", action: "logged" }]);
    expect(post(null).logged).toBeNull();
  });
});
