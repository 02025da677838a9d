import { describe, expect, it } from "vitest";
import { equalJitterDelay, fullJitterDelay } from "./backoff.js";

/** A seeded PRNG (mulberry32) so the spread below is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("reconnect backoff", () => {
  const options = { baseMs: 500, capMs: 30_000 };

  it("full jitter: a random share of an exponential ceiling, capped", () => {
    expect([0, 1, 2, 3, 10, 100].map((attempt) => fullJitterDelay(attempt, options, () => 0.5))).toEqual([250, 500, 1000, 2000, 15_000, 15_000]);
    expect(fullJitterDelay(4, options, () => 0)).toBe(0);
    expect(fullJitterDelay(1000, options, () => 0.999_999)).toBe(29_999);
  });

  it("spreads a thousand proxies that failed together over the whole window (no thundering herd)", () => {
    const random = seeded(7);
    const delays = Array.from({ length: 1000 }, () => fullJitterDelay(5, options, random)); // ceiling 16 s
    const buckets = new Array<number>(10).fill(0);
    for (const d of delays) buckets[Math.floor(d / 1600)]!++;
    expect(Math.max(...buckets)).toBeLessThan(150); // uniform: ~100 per 1.6 s slot
    expect(Math.min(...buckets)).toBeGreaterThan(50);
    expect(new Set(delays).size).toBeGreaterThan(900);
  });

  it("equal jitter for slow retries never drops below half", () => {
    expect(equalJitterDelay(60_000, () => 0)).toBe(30_000);
    expect(equalJitterDelay(60_000, () => 0.5)).toBe(45_000);
  });
});
