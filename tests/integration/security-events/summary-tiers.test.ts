// The summary's tiers against the stored data they summarise: minute buckets from the
// per-minute counters, hour and day buckets from the rule and family rollups (a partial day
// of an hourly window as its hours, or as its day row minus its other hours) — each equal to
// a GROUP BY over the counters — and top paths and
// clients equal to a GROUP BY over the stored events (exact: the window holds fewer events
// than a sample needs), team-scoped; with a small sample target, they are estimated from a
// block sample and say so (rate below 1, a margin per item).
import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { loadActor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { SecurityEvent } from "@/lib/policy-spec";
import { summariseSecurityEvents } from "@/lib/security-events/summarise-security-events";
import { createPolicyFixture } from "../policies/policy-fixtures";
import { call, callApi, createCast, paymentsApp, type Cast } from "../policies/policy-test-kit";

let cast: Cast;
let app: { id: string; slug: string };
let storefrontApp: { id: string; slug: string };
const now = Date.now();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

// 150 events, one every 29 minutes back to about 3 days ago, spread over rules, paths and
// skewed clients, in two applications of two teams; one counter per event plus extra
// decisions the proxy counted without sending the event.
const events: SecurityEvent[] = Array.from({ length: 150 }, (_, i) => {
  const applicationId = i % 4 === 3 ? "storefront" : "payments";
  return {
    time: new Date(now - i * 29 * MINUTE - 5_000).toISOString(),
    requestId: `r-${i}-${randomUUID()}`,
    applicationId,
    policyVersionId: null,
    policyHash: "",
    action: i % 7 === 0 ? "logged" : "blocked",
    family: i % 3 === 0 ? "xss" : "sqli",
    ruleId: `${i % 3 === 0 ? "xss" : "sqli"}.rule-${i % 5}`,
    method: "GET",
    host: "h",
    path: `/p${i % 11 < 6 ? 0 : i % 11}`,
    part: "parameter",
    parameter: "q",
    excerpt: "x",
    clientIp: `198.51.100.${Math.floor(Math.sqrt(i))}`,
    status: 403,
  };
});

beforeAll(async () => {
  cast = await createCast();
  await createPolicyFixture(db, { kind: "baseline", authorId: cast.ids.officer, versions: [{ state: "published" }] });
  app = await paymentsApp(cast);
  storefrontApp = await paymentsApp(cast, { teamId: cast.storefront.id });
  const created = await call({
    method: "POST",
    path: "/api/v1/delivery/targets",
    cookie: cast.cookies.officer,
    body: { kind: "proxy", name: "tiers-gw", mode: "gateway", applicationIds: [app.id, storefrontApp.id] },
  });
  for (const e of events) e.applicationId = e.applicationId === "storefront" ? storefrontApp.id : app.id;
  const counters = events.map((e, i) => ({
    minute: new Date(Math.floor(Date.parse(e.time) / MINUTE) * MINUTE).toISOString(),
    applicationId: e.applicationId,
    family: e.family,
    ruleId: e.ruleId,
    action: e.action,
    count: 1 + (i % 5 === 0 ? 40 : 0),
  }));
  const response = await callApi({
    method: "POST",
    path: "/api/v1/delivery/events",
    bearer: created.body.token,
    rawBody: new Uint8Array(gzipSync(JSON.stringify({ batchId: randomUUID(), instanceId: "p-1", events, dropped: 0, counters }))),
    headers: { "content-type": "application/json", "content-encoding": "gzip" },
  });
  expect(response.status).toBe(201);
});

type Summary = {
  from: string;
  to: string;
  bucket: string;
  series: { bucket: string; family: string; action: string; count: number }[];
  topRules: { ruleId: string; family: string; count: number }[];
  topPaths: { path: string; count: number; margin: number }[];
  topClients: { clientIp: string; count: number; margin: number }[];
  topSampleRate: number;
};

/** What the summary must say, from the counters and the stored events themselves. */
async function expected(s: Summary, applicationIds: string[]) {
  const unit = s.bucket;
  const series = await db.$queryRawUnsafe<{ bucket: Date; family: string; action: string; count: number }[]>(
    `SELECT date_trunc($1, minute, 'UTC') AS bucket, family, action, sum(count)::int AS count FROM security_event_counters
     WHERE minute >= $2::timestamptz AND minute < $3::timestamptz AND application_id = ANY($4::text[]) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    unit,
    s.from,
    s.to,
    applicationIds,
  );
  const rules = await db.$queryRawUnsafe<{ ruleId: string; family: string; count: number }[]>(
    `SELECT rule_id AS "ruleId", family, sum(count)::int AS count FROM security_event_counters
     WHERE minute >= $1::timestamptz AND minute < $2::timestamptz AND application_id = ANY($3::text[]) GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 10`,
    s.from,
    s.to,
    applicationIds,
  );
  const top = (column: string) =>
    db.$queryRawUnsafe<{ key: string; count: number }[]>(
      `SELECT ${column} AS key, count(*)::int AS count FROM security_events
       WHERE occurred_at >= $1::timestamptz AND occurred_at < $2::timestamptz AND application_id = ANY($3::uuid[]) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`,
      s.from,
      s.to,
      applicationIds,
    );
  return {
    series: series.map((r) => ({ ...r, bucket: r.bucket.toISOString() })),
    topRules: rules,
    topPaths: (await top("path")).map((r) => ({ path: r.key, count: r.count, margin: 0 })),
    topClients: (await top("client_ip")).map((r) => ({ clientIp: r.key, count: r.count, margin: 0 })),
  };
}

const summary = async (cookie: string, query: string) => {
  const response = await call({ method: "GET", path: `/api/v1/security-events/summary${query}`, cookie });
  expect(response.status).toBe(200);
  return response.body as Summary;
};
const ago = (ms: number) => encodeURIComponent(new Date(now - ms).toISOString());

describe("GET /api/v1/security-events/summary across tiers", () => {
  it.each([
    ["minute buckets (5 h: per-minute counters)", `?from=${ago(5 * HOUR)}`, "minute"],
    ["hour buckets (2 days: hourly rollups)", `?from=${ago(48 * HOUR)}`, "hour"],
    // Past windows: a partial day read as its hours, or as its day row minus its other hours.
    ["hour buckets (a past 21 h: day rows minus hours)", `?from=${ago(47 * HOUR)}&to=${ago(26 * HOUR)}`, "hour"],
    ["hour buckets asked for a past 5 h", `?from=${ago(40 * HOUR)}&to=${ago(35 * HOUR)}&bucket=hour`, "hour"],
    ["day buckets (10 days: daily rollups)", `?from=${ago(10 * 24 * HOUR)}`, "day"],
    ["day buckets asked for a 30 h window", `?from=${ago(30 * HOUR)}&bucket=day`, "day"],
  ])("%s equal the counters and the stored events", async (_name, query, bucket) => {
    const s = await summary(cast.cookies.auditor, query);
    expect(s.bucket).toBe(bucket);
    if (bucket === "day") expect(s.from.endsWith("T00:00:00.000Z") && s.to.endsWith("T00:00:00.000Z")).toBe(true);
    expect(s.topSampleRate).toBe(1);
    const want = await expected(s, [app.id, storefrontApp.id]);
    expect(s.series).toEqual(want.series);
    expect(s.topRules).toEqual(want.topRules);
    expect(s.topPaths).toEqual(want.topPaths);
    expect(s.topClients).toEqual(want.topClients);
    expect(s.series.length).toBeGreaterThan(1);
  });

  it("is team-scoped in every tier", async () => {
    for (const query of [`?from=${ago(5 * HOUR)}`, `?from=${ago(48 * HOUR)}`, `?from=${ago(10 * 24 * HOUR)}`]) {
      const s = await summary(cast.cookies.storefrontDeveloper, query);
      const want = await expected(s, [storefrontApp.id]);
      expect(s.series).toEqual(want.series);
      expect(s.topRules).toEqual(want.topRules);
      expect(s.topPaths).toEqual(want.topPaths);
      expect(s.topClients).toEqual(want.topClients);
    }
  });

  it("estimates top paths and clients from a sample when the window holds more events than a sample needs, and says so", async () => {
    const actor = (await loadActor(cast.ids.auditor, { kind: "session", sessionId: "test" }))!;
    const from = new Date(now - 48 * HOUR).toISOString();
    const exact = await summariseSecurityEvents({ actor, query: { from }, sampleTarget: 1_000_000 });
    expect(exact.topSampleRate).toBe(1);
    const sampled = await summariseSecurityEvents({ actor, query: { from }, sampleTarget: 50 });
    const decisions = sampled.totals.blocked + sampled.totals.logged;
    expect(sampled.topSampleRate).toBeCloseTo(50 / decisions, 10);
    // Series and top rules stay exact; the top lists are scaled-up sample counts with a margin.
    expect(sampled.series).toEqual(exact.series);
    expect(sampled.topRules).toEqual(exact.topRules);
    for (const item of [...sampled.topPaths, ...sampled.topClients]) {
      const k = Math.round(item.count * sampled.topSampleRate);
      expect(item.count).toBe(Math.round(k / sampled.topSampleRate));
      expect(item.margin).toBeGreaterThan(0);
    }
  });
});
