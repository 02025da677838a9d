// Event shipping over real sockets: a connected proxy in front of a real origin
// sends sampled, masked events and exact counters to a stand-in portal; the
// shipper keeps a batch's id across a 429 and an outage, waits out Retry-After,
// drops the oldest when its queue is full, and never holds up a request.

import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { SecurityEvent } from "@/lib/policy-spec";
import { DeliveryClient } from "../policy/delivery-client.js";
import { buildBundle } from "../test-support/bundle-fixtures.js";
import { request } from "../test-support/http-request.js";
import { startOrigin, type Origin } from "../test-support/origin-server.js";
import { startStandInPortal, type StandInPortal } from "../test-support/stand-in-portal.js";
import { startTestProxy, type TestProxy } from "../test-support/start-test-proxy.js";
import { MASKED } from "@/lib/policy-spec";
import { EventShipper } from "./event-shipper.js";

const TOKEN = "rpt_target_token";
const APP_ID = "6f1c1f0e-4a8f-4e52-9d7a-0f8d3b0c2a11";
let origin: Origin;
let portal: StandInPortal;
let keyFile = "";
const started: TestProxy[] = [];
const shippers: EventShipper[] = [];

// Waits for an event (a batch received, a counter reached); the bound only names the
// failure before the test timeout does, it is not a claim about speed.
const waitFor = (condition: () => boolean | Promise<boolean>, ms = 15_000) =>
  vi.waitFor(async () => expect(await condition()).toBe(true), { timeout: ms, interval: 20 });

// vi.waitFor moves a faked clock at each check; this one leaves it where the test set it
// (the test's timeout names a condition never reached).
const untilClockStill = async (condition: () => boolean) => {
  while (!condition()) await new Promise((r) => setTimeout(r, 10));
};

const event = (i: number): SecurityEvent => ({
  time: new Date().toISOString(),
  requestId: `r-${i}`,
  applicationId: APP_ID,
  policyVersionId: null,
  policyHash: "",
  action: "blocked",
  family: "sqli",
  ruleId: "sqli.union",
  method: "GET",
  host: "h",
  path: "/",
  part: "parameter",
  parameter: "q",
  excerpt: "x",
  clientIp: "10.0.0.1",
  status: 403,
});

const shipper = (overrides: Partial<ConstructorParameters<typeof EventShipper>[0]> = {}) => {
  const client = new DeliveryClient({ portalUrl: portal.url, token: TOKEN, instanceId: "i-1", extraCa: null });
  const s = new EventShipper({ transport: client, instanceId: "i-1", flushMs: 20, backoff: { baseMs: 20, capMs: 100 }, ...overrides });
  shippers.push(s);
  return s;
};

beforeAll(async () => {
  origin = await startOrigin();
  portal = await startStandInPortal();
  keyFile = path.join(mkdtempSync(path.join(os.tmpdir(), "rampart-events-")), "portal.pem");
  writeFileSync(keyFile, portal.publicKeyPem);
});
afterEach(async () => {
  for (const proxy of started.splice(0)) await proxy.stop();
  for (const s of shippers.splice(0)) await s.stop();
  portal.eventBatches.length = 0;
  portal.eventAnswers.length = 0;
  portal.eventAttempts.length = 0;
});
afterAll(async () => {
  await portal.close();
  await origin.close();
});

describe("a connected proxy's security events", () => {
  it("sends the first N per rule × path × client in full, masked, with exact per-minute counters", async () => {
    portal.publish([{ applicationId: APP_ID, name: "payments-api", bundle: buildBundle() }]);
    const stateDir = mkdtempSync(path.join(os.tmpdir(), "rampart-events-state-"));
    const proxy = await startTestProxy([
      "--portal",
      portal.url,
      "--token",
      TOKEN,
      "--portal-key",
      keyFile,
      "--upstream",
      origin.url,
      "--state-dir",
      stateDir,
      "--decision-sample",
      "3",
    ]);
    started.push(proxy);
    for (let i = 0; i < 8; i++)
      expect((await request(`${proxy.url}/search?q=${encodeURIComponent("1' UNION SELECT password FROM users--")}`)).status).toBe(403);
    // An attack in a cookie: blocked, but its value never leaves the proxy.
    expect((await request(`${proxy.url}/`, { headers: { cookie: "session=<script>alert(document.domain)</script>" } })).status).toBe(403);

    const received = () => portal.eventBatches.flatMap((b) => b.events);
    const counted = () => portal.eventBatches.flatMap((b) => b.counters).reduce((n, c) => n + c.count, 0);
    await waitFor(() => received().length >= 4 && counted() >= 9);
    const sqli = received().filter((e) => e.family === "sqli");
    expect(sqli).toHaveLength(3);
    expect(sqli[0]).toMatchObject({
      applicationId: APP_ID,
      action: "blocked",
      method: "GET",
      path: "/search",
      part: "parameter",
      parameter: "q",
      status: 403,
      clientIp: "127.0.0.1",
    });
    expect(sqli[0]!.path).not.toContain("?");
    const cookie = received().find((e) => e.part === "cookie")!;
    expect(cookie.excerpt).toBe(MASKED);
    expect(JSON.stringify(portal.eventBatches)).not.toContain("alert(document.domain)");
    // Counters are exact while events are sampled.
    const sqliCount = portal.eventBatches
      .flatMap((b) => b.counters)
      .filter((c) => c.family === "sqli")
      .reduce((n, c) => n + c.count, 0);
    expect(sqliCount).toBe(8);
    // The decision log follows the same sample.
    expect(proxy.decisions().filter((d) => d.type === "decision" && d.family === "sqli")).toHaveLength(3);
  });
});

describe("EventShipper", () => {
  it("waits out a 429's Retry-After and resends the same batch id", async () => {
    // The shipper's clock is held still and moved by the test: the wait is the shipper's
    // decision at each tick of its (real, 20 ms) flush timer, not a duration measured here.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      portal.eventAnswers.push({ status: 429, retryAfter: 1 });
      const s = shipper();
      const ticks = vi.spyOn(s as unknown as { kick(): void }, "kick"); // each tick of the flush timer
      const refusedAt = Date.now();
      s.start();
      s.offer([event(1), event(2)]);
      // Refused once, and the shipper is done with that answer (no longer sending).
      await untilClockStill(() => portal.eventAttempts.length === 1 && !(s as unknown as { sending: boolean }).sending);
      // A millisecond before Retry-After ends: ticks come and go, nothing is resent.
      vi.setSystemTime(refusedAt + 999);
      const seen = ticks.mock.calls.length;
      await untilClockStill(() => ticks.mock.calls.length >= seen + 5);
      expect(portal.eventAttempts).toHaveLength(1);
      vi.setSystemTime(refusedAt + 1000);
      await untilClockStill(() => portal.eventBatches.length === 1);
    } finally {
      vi.useRealTimers();
    }
    expect(portal.eventAttempts).toEqual([portal.eventBatches[0]!.batchId, portal.eventBatches[0]!.batchId]);
    expect(portal.eventBatches[0]!.events.map((e) => e.requestId)).toEqual(["r-1", "r-2"]);
  });

  it("keeps the batch id across an outage and backs off until the portal is back", async () => {
    portal.eventAnswers.push({ status: 503 }, { status: 502 });
    const s = shipper();
    s.start();
    s.offer([event(1)]);
    await waitFor(() => s.stats().batchesSent === 1);
    expect(s.stats()).toMatchObject({ batchesSent: 1, failures: 0, queued: 0 });
    // Three attempts of one batch: a resend is recognisable as the same batch by the portal.
    expect(portal.eventAttempts).toHaveLength(3);
    expect(new Set(portal.eventAttempts).size).toBe(1);
    expect(portal.eventBatches.map((b) => b.batchId)).toEqual([portal.eventAttempts[0]]);
  });

  it("drops the oldest events when the queue is full and reports how many", async () => {
    await portal.crash();
    try {
      const s = shipper({ queueCapacity: 5, batchSize: 100 });
      s.start();
      for (let i = 0; i < 12; i++) s.offer([event(i)]);
      expect(s.stats().queued).toBe(5);
      await portal.restart();
      await waitFor(() => portal.eventBatches.reduce((n, b) => n + b.events.length, 0) === 5, 15_000);
      expect(portal.eventBatches.flatMap((b) => b.events.map((e) => e.requestId))).toEqual(["r-7", "r-8", "r-9", "r-10", "r-11"]);
      expect(portal.eventBatches.reduce((n, b) => n + b.dropped, 0)).toBe(7);
    } finally {
      await portal.restart().catch(() => undefined);
    }
  });
});
