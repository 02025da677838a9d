import { describe, expect, it } from "vitest";
import { buildBundle, requestContext } from "../../test-support/bundle-fixtures.js";
import { newRateLimit } from "./new-rate-limit.js";
import { answerRateTake, localRateLimitStore, primaryRateLimitStore, type RateTakeMessage } from "./rate-limit-store.js";
import { TokenBuckets } from "./token-buckets.js";

describe("rate limits", () => {
  const limits = buildBundle(
    {},
    {
      tokenVerification: {
        required: false,
        issuers: [{ issuer: "https://login.example.com/", audiences: ["api"], jwksUrl: "https://login.example.com/jwks.json" }],
      },
      rateLimits: [
        { id: "per-ip", key: "client-ip", requests: 2, windowSeconds: 10, burst: 1 },
        { id: "writes", key: "token-subject", requests: 1, windowSeconds: 60, methods: ["POST"], mode: "log-only" },
      ],
    },
  ).rateLimits;

  it("allows requests + burst, then answers 429 with Retry-After, then refills", () => {
    let now = 0;
    const m = newRateLimit(
      limits,
      "route",
      localRateLimitStore(() => now),
    )!;
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
    const m = newRateLimit(
      limits,
      "route",
      localRateLimitStore(() => 0),
    )!;
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

  it("keeps equally named limits of different routes apart", () => {
    const store = localRateLimitStore(() => 0);
    const shop = newRateLimit(limits, "shop", store)!;
    const api = newRateLimit(limits, "api", store)!;
    const hit = (m: typeof shop) => m.onRequest!(requestContext({ clientIp: "192.0.2.1" }));
    expect([hit(shop), hit(shop), hit(shop), hit(shop)].map((v) => (v as { status: number } | null)?.status ?? null)).toEqual([null, null, null, 429]);
    expect(hit(api)).toBeNull();
  });

  describe("with cluster workers", () => {
    // Two workers' stores talk to one primary through the same messages the cluster sends over IPC.
    function cluster(options: { primaryDown?: boolean } = {}) {
      const primary = new TokenBuckets();
      const workers = [0, 1].map(() => {
        const store: ReturnType<typeof primaryRateLimitStore> = primaryRateLimitStore(
          (message: RateTakeMessage) => {
            if (options.primaryDown) return;
            const answer = answerRateTake(primary, structuredClone(message), 0);
            setImmediate(() => store.receive(structuredClone(answer)));
          },
          { timeoutMs: 20, now: () => 0 },
        );
        return newRateLimit(limits, "route", store)!;
      });
      return workers;
    }
    const statusOf = async (m: ReturnType<typeof cluster>[number]) =>
      ((await m.onRequest!(requestContext({ clientIp: "192.0.2.1" }))) as { status: number } | null)?.status ?? null;

    it("counts one limit across workers: requests + burst in all, wherever the requests land", async () => {
      const [a, b] = cluster();
      // 3 tokens for the instance: per-worker buckets would have allowed 6.
      const statuses = await Promise.all([statusOf(a!), statusOf(b!), statusOf(a!), statusOf(b!), statusOf(a!), statusOf(b!)]);
      expect(statuses.filter((s) => s === null)).toHaveLength(3);
      expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    });

    it("falls back to the worker's own buckets when the primary does not answer", async () => {
      const [a] = cluster({ primaryDown: true });
      expect([await statusOf(a!), await statusOf(a!), await statusOf(a!), await statusOf(a!)]).toEqual([null, null, null, 429]);
    });
  });
});
