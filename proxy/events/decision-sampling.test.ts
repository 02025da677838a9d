// The pure parts of bounded decision output: the sampler, secret masking, the
// bounded queue and the per-minute counters.

import { describe, expect, it } from "vitest";
import { DecisionSampler, OVERFLOW_KEY } from "./decision-sampler.js";
import { BoundedQueue } from "./event-queue.js";
import { MASKED, maskSecrets } from "@/lib/policy-spec";
import { MinuteCounters } from "./minute-counters.js";

describe("DecisionSampler", () => {
  it("keeps the first N per rule × path × client and interval, then counts", () => {
    const sampler = new DecisionSampler({ perInterval: 3, intervalMs: 60_000, maxKeys: 100 }, 0);
    const kept = Array.from({ length: 10 }, () => sampler.admit("sqli.union", "/search", "10.0.0.1", 1000)).filter(Boolean).length;
    expect(kept).toBe(3);
    // Another client, path or rule is a key of its own.
    expect(sampler.admit("sqli.union", "/search", "10.0.0.2", 1000)).toBe(true);
    expect(sampler.admit("sqli.union", "/other", "10.0.0.1", 1000)).toBe(true);
    expect(sampler.admit("xss.script", "/search", "10.0.0.1", 1000)).toBe(true);
    let ended: unknown[] = [];
    // The next interval starts fresh and hands over the counts of the one that ended.
    expect(sampler.admit("sqli.union", "/search", "10.0.0.1", 61_000, (counts) => (ended = counts))).toBe(true);
    expect(ended).toEqual([{ ruleId: "sqli.union", path: "/search", clientIp: "10.0.0.1", suppressed: 7, intervalStart: 0 }]);
  });

  it("bounds the keys per interval: past the cap every decision is counted under one overflow key", () => {
    const sampler = new DecisionSampler({ perInterval: 1, intervalMs: 60_000, maxKeys: 5 }, 0);
    for (let i = 0; i < 1000; i++) sampler.admit("rule", "/", `10.0.${i >> 8}.${i & 255}`, 10);
    const counts = sampler.drain(20);
    expect(counts).toEqual([{ ruleId: OVERFLOW_KEY, path: OVERFLOW_KEY, clientIp: OVERFLOW_KEY, suppressed: 995, intervalStart: 0 }]);
  });

  it("keeps every decision with perInterval 0 (sampling off)", () => {
    const sampler = new DecisionSampler({ perInterval: 0, intervalMs: 60_000, maxKeys: 1 }, 0);
    for (let i = 0; i < 100; i++) expect(sampler.admit("r", "/", `c${i}`, 10)).toBe(true);
    expect(sampler.drain(20)).toEqual([]);
  });

  it("reports an ended interval from the timer when no decision follows it", () => {
    const sampler = new DecisionSampler({ perInterval: 1, intervalMs: 1000, maxKeys: 10 }, 0);
    sampler.admit("r", "/", "c", 1);
    sampler.admit("r", "/", "c", 2);
    expect(sampler.tick(500)).toEqual([]);
    expect(sampler.tick(1500)).toEqual([{ ruleId: "r", path: "/", clientIp: "c", suppressed: 1, intervalStart: 0 }]);
  });
});

describe("maskSecrets", () => {
  it("replaces values found in credential-bearing places wholesale", () => {
    expect(maskSecrets("header", "Authorization", "Bearer abc.def")).toBe(MASKED);
    expect(maskSecrets("header", "cookie", "sid=1")).toBe(MASKED);
    expect(maskSecrets("cookie", "theme", "' or 1=1--")).toBe(MASKED);
    expect(maskSecrets("parameter", "password", "' or 1=1--")).toBe(MASKED);
    expect(maskSecrets("json-pointer", "/user/newPassword", "<script>")).toBe(MASKED);
    expect(maskSecrets("parameter", "access_token", "x")).toBe(MASKED);
    expect(maskSecrets("parameter", "api-key", "x")).toBe(MASKED);
  });

  it("cuts credential-shaped text out of other excerpts and leaves attacks readable", () => {
    expect(maskSecrets("parameter", "q", "' UNION SELECT password FROM users--")).toBe("' UNION SELECT password FROM users--");
    expect(maskSecrets("parameter", "q", "x eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig <script>")).toBe(`x ${MASKED} <script>`);
    expect(maskSecrets("parameter", "q", "token=s3cr3t&x=<script>")).toBe(`token=${MASKED}&x=<script>`);
    expect(maskSecrets("body", "", "Authorization: Bearer abcdef")).not.toContain("abcdef");
    expect(maskSecrets("parameter", "author", "<script>")).toBe("<script>");
  });
});

describe("BoundedQueue", () => {
  it("drops the oldest when full and counts what it dropped", () => {
    const queue = new BoundedQueue<number>(3);
    for (let i = 1; i <= 5; i++) queue.push(i);
    expect(queue.size).toBe(3);
    expect(queue.takeDropped()).toBe(2);
    expect(queue.takeDropped()).toBe(0);
    expect(queue.take(10)).toEqual([3, 4, 5]);
    queue.push(6);
    expect(queue.take(1)).toEqual([6]);
    expect(queue.droppedTotal).toBe(2);
  });
});

describe("MinuteCounters", () => {
  it("counts per minute, application, family, rule and action and merges counts taken elsewhere", () => {
    const counters = new MinuteCounters();
    counters.add(60_500, "a", "sqli", "sqli.union", "blocked");
    counters.add(119_999, "a", "sqli", "sqli.union", "blocked");
    counters.add(120_000, "a", "sqli", "sqli.union", "blocked");
    counters.merge([{ minute: new Date(60_000).toISOString(), applicationId: "a", family: "sqli", ruleId: "sqli.union", action: "blocked", count: 5 }]);
    const taken = counters.take();
    expect(taken).toEqual([
      { minute: new Date(60_000).toISOString(), applicationId: "a", family: "sqli", ruleId: "sqli.union", action: "blocked", count: 7 },
      { minute: new Date(120_000).toISOString(), applicationId: "a", family: "sqli", ruleId: "sqli.union", action: "blocked", count: 1 },
    ]);
    expect(counters.size).toBe(0);
  });

  it("is bounded: new keys past the cap are counted as dropped", () => {
    const counters = new MinuteCounters(2);
    counters.add(0, null, "f", "r1", "blocked");
    counters.add(0, null, "f", "r2", "blocked");
    counters.add(0, null, "f", "r3", "blocked", 4);
    expect(counters.size).toBe(2);
    expect(counters.dropped).toBe(4);
  });
});
