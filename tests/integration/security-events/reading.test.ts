// Reading security events: team scope (another team's events are invisible, auditors read
// everything), filters and the keyset cursor, the summary from exact counters, the NDJSON
// export, the event detail's proposed exception and "This is a false positive" adding it to
// the application's draft (creating one, then refusing the same exception twice).
import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { SecurityEvent } from "@/lib/policy-spec";
import { createPolicyFixture } from "../policies/policy-fixtures";
import { call, callApi, createCast, paymentsApp, type Cast } from "../policies/policy-test-kit";

let cast: Cast;
let app: { id: string; slug: string };
let storefrontApp: { id: string; slug: string };
let token: string;

const event = (applicationId: string, i: number, overrides: Partial<SecurityEvent> = {}): SecurityEvent => ({
  time: new Date(Date.now() - i * 1000).toISOString(),
  requestId: `r-${i}-${randomUUID()}`,
  applicationId,
  policyVersionId: null,
  policyHash: "",
  action: "blocked",
  family: "sqli",
  ruleId: "sqli.union-select",
  method: "GET",
  host: "h",
  path: "/search",
  part: "parameter",
  parameter: "q",
  excerpt: "1 UNION SELECT 1",
  clientIp: `198.51.100.${i % 3}`,
  status: 403,
  ...overrides,
});

beforeAll(async () => {
  cast = await createCast();
  await createPolicyFixture(db, { kind: "baseline", authorId: cast.ids.officer, versions: [{ state: "published" }] });
  app = await paymentsApp(cast);
  storefrontApp = await paymentsApp(cast, { teamId: cast.storefront.id });
  await createPolicyFixture(db, {
    kind: "application",
    application: app,
    authorId: cast.ids.lead,
    officerId: cast.ids.officer,
    versions: [{ state: "published" }],
  });
  const created = await call({
    method: "POST",
    path: "/api/v1/delivery/targets",
    cookie: cast.cookies.officer,
    body: { kind: "proxy", name: "read-gw", mode: "gateway", applicationIds: [app.id, storefrontApp.id] },
  });
  token = created.body.token;
  const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
  const events = [
    ...Array.from({ length: 12 }, (_, i) => event(app.id, i)),
    event(app.id, 20, { family: "xss", ruleId: "xss.script-tag", part: "header", parameter: "referer", path: "/login", method: "POST" }),
    ...Array.from({ length: 3 }, (_, i) => event(storefrontApp.id, 30 + i, { path: "/cart" })),
  ];
  const response = await callApi({
    method: "POST",
    path: "/api/v1/delivery/events",
    bearer: token,
    rawBody: new Uint8Array(
      gzipSync(
        JSON.stringify({
          batchId: randomUUID(),
          instanceId: "p-1",
          events,
          dropped: 0,
          counters: [
            { minute, applicationId: app.id, family: "sqli", ruleId: "sqli.union-select", action: "blocked", count: 500 },
            { minute, applicationId: app.id, family: "xss", ruleId: "xss.script-tag", action: "blocked", count: 1 },
            { minute, applicationId: storefrontApp.id, family: "sqli", ruleId: "sqli.union-select", action: "blocked", count: 3 },
          ],
        }),
      ),
    ),
    headers: { "content-type": "application/json", "content-encoding": "gzip" },
  });
  expect(response.status).toBe(201);
});

const list = (cookie: string, query = "") => call({ method: "GET", path: `/api/v1/security-events${query}`, cookie });

describe("GET /api/v1/security-events", () => {
  it("pages newest first with a cursor and filters", async () => {
    const first = await list(cast.cookies.officer, `?applicationId=${app.id}&limit=5`);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(5);
    const seen = [...first.body.items];
    let cursor = first.body.nextCursor;
    while (cursor) {
      const next = await list(cast.cookies.officer, `?applicationId=${app.id}&limit=5&cursor=${cursor}`);
      seen.push(...next.body.items);
      cursor = next.body.nextCursor;
    }
    expect(seen).toHaveLength(13);
    expect(new Set(seen.map((e: { id: string }) => e.id)).size).toBe(13);
    const times = seen.map((e: { occurredAt: string }) => e.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(seen[0]).toMatchObject({ application: { id: app.id, slug: app.slug }, family: "sqli", ruleId: "sqli.union-select" });

    expect((await list(cast.cookies.officer, "?family=xss")).body.items.map((e: { path: string }) => e.path)).toEqual(["/login"]);
    expect((await list(cast.cookies.officer, `?clientIp=198.51.100.1&applicationId=${app.id}`)).body.items).toHaveLength(4);
    expect((await list(cast.cookies.officer, "?path=/ca*")).body.items).toHaveLength(3);
    const bad = await list(cast.cookies.officer, "?cursor=zzz&action=allowed");
    expect(bad.status).toBe(422);
  });

  it("is team-scoped: a developer sees their team's applications only, the auditor everything", async () => {
    const dev = await list(cast.cookies.developer);
    expect(dev.body.items.every((e: { applicationId: string }) => e.applicationId === app.id)).toBe(true);
    expect(dev.body.items.length).toBeGreaterThan(0);
    const storefront = await list(cast.cookies.storefrontDeveloper);
    expect(storefront.body.items.map((e: { path: string }) => e.path)).toEqual(["/cart", "/cart", "/cart"]);
    const auditor = await list(cast.cookies.auditor, "?limit=200");
    expect(auditor.body.items).toHaveLength(16);
    // Another team's event is not found, not forbidden.
    const other = auditor.body.items.find((e: { path: string }) => e.path === "/cart");
    expect((await call({ method: "GET", path: `/api/v1/security-events/${other.id}`, cookie: cast.cookies.developer })).status).toBe(404);
  });
});

describe("GET /api/v1/security-events/summary and /export", () => {
  it("charts exact counts from the counters and lists exact top paths and clients from the events", async () => {
    const summary = await call({ method: "GET", path: `/api/v1/security-events/summary?applicationId=${app.id}`, cookie: cast.cookies.lead });
    expect(summary.status).toBe(200);
    expect(summary.body.bucket).toBe("hour");
    expect(summary.body.seriesSource).toBe("counters");
    expect(summary.body.totals).toEqual({ blocked: 501, logged: 0 });
    expect(summary.body.topRules[0]).toEqual({ ruleId: "sqli.union-select", family: "sqli", count: 500 });
    expect(summary.body.topSampleRate).toBe(1);
    expect(summary.body.topPaths[0]).toEqual({ path: "/search", count: 12, margin: 0 });
    expect(summary.body.topClients.map((c: { count: number }) => c.count).reduce((a: number, b: number) => a + b, 0)).toBe(13);
    // A developer of the other team sees only their own counts.
    const storefront = await call({ method: "GET", path: "/api/v1/security-events/summary", cookie: cast.cookies.storefrontDeveloper });
    expect(storefront.body.totals).toEqual({ blocked: 3, logged: 0 });
  });

  it("exports NDJSON, one event a line, filtered like the list", async () => {
    const response = await callApi({ method: "GET", path: `/api/v1/security-events/export?applicationId=${app.id}`, cookie: cast.cookies.auditor });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    const lines = (await response.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(13);
    expect(lines[0]).toMatchObject({ applicationId: app.id, ruleId: expect.any(String), clientIp: expect.any(String) });
  });
});

describe("This is a false positive", () => {
  it("proposes the narrowest exception and adds it to a new draft, once", async () => {
    const target = (await list(cast.cookies.lead, `?applicationId=${app.id}&ruleId=sqli.union-select&limit=1`)).body.items[0];
    const detail = await call({ method: "GET", path: `/api/v1/security-events/${target.id}`, cookie: cast.cookies.lead });
    expect(detail.status).toBe(200);
    expect(detail.body.ruleDescription).toMatch(/UNION/);
    expect(detail.body.falsePositive.available).toBe(true);
    const { exception, impact } = detail.body.falsePositive.proposal;
    expect(exception).toMatchObject({ ruleId: "sqli.union-select", part: "parameter", name: "q", conditions: { paths: ["/search"], methods: ["GET"] } });
    expect(impact).toEqual({ days: 7, events: 12, clients: 3 });

    const short = await call({
      method: "POST",
      path: `/api/v1/security-events/${target.id}/exception-draft`,
      cookie: cast.cookies.lead,
      body: { justification: "too short" },
    });
    expect(short.status).toBe(422);
    expect(short.body.errors[0].path).toBe("body.justification");
    const tooLong = await call({
      method: "POST",
      path: `/api/v1/security-events/${target.id}/exception-draft`,
      cookie: cast.cookies.lead,
      body: { justification: "Support searches notes that contain SQL words.", expires: "2099-01-01" },
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.errors[0].path).toBe("body.expires");

    const drafted = await call({
      method: "POST",
      path: `/api/v1/security-events/${target.id}/exception-draft`,
      cookie: cast.cookies.lead,
      body: { justification: "Support searches notes that contain SQL words." },
    });
    expect(drafted.status).toBe(201);
    expect(drafted.body).toMatchObject({ createdDraft: true, exceptionId: exception.id, impact });
    const version = await db.policyVersion.findUniqueOrThrow({ where: { id: drafted.body.versionId } });
    expect(version.state).toBe("draft");
    const exceptions = (version.content as { exceptions: Array<Record<string, unknown>> }).exceptions;
    expect(exceptions.at(-1)).toMatchObject({
      id: exception.id,
      ruleId: "sqli.union-select",
      part: "parameter",
      name: "q",
      justification: "Support searches notes that contain SQL words.",
    });
    // Audited through the policies domain.
    expect(await db.auditEvent.count({ where: { targetId: version.id } })).toBeGreaterThan(0);
    const again = await call({
      method: "POST",
      path: `/api/v1/security-events/${target.id}/exception-draft`,
      cookie: cast.cookies.lead,
      body: { justification: "Support searches notes that contain SQL words." },
    });
    expect(again.status).toBe(409);
    // The auditor reads but never edits.
    const auditor = await call({
      method: "POST",
      path: `/api/v1/security-events/${target.id}/exception-draft`,
      cookie: cast.cookies.auditor,
      body: { justification: "Support searches notes that contain SQL words." },
    });
    expect(auditor.status).toBe(403);
  });
});

describe("log-only evidence", () => {
  it("suggests blocking a family that only logged through the quiet period, unless an event of it was marked a false positive", async () => {
    const { findLogOnlySuggestions } = await import("@/lib/security-events/find-log-only-suggestions");
    const quiet = await paymentsApp(cast);
    const noisy = await paymentsApp(cast);
    // Hourly rollups as ingestion writes them: every decision per rule and per family (from
    // the counters), and the stored logged events per path and per client.
    const hour = (ms: number) => new Date(Math.floor(ms / 3_600_000) * 3_600_000);
    const started = hour(Date.now() - 13.5 * 86_400_000);
    const recent = hour(Date.now() - 3_600_000);
    for (const id of [quiet.id, noisy.id]) {
      const row = { applicationId: id, family: "xss", action: "logged" };
      const rules = [
        { ...row, grain: "hour", bucket: started, ruleId: "xss.script-tag", count: 40 },
        { ...row, grain: "hour", bucket: recent, ruleId: "xss.script-tag", count: 2 },
        { ...row, grain: "hour", bucket: recent, ruleId: "xss.event-handler", count: 5 },
      ];
      await db.securityEventRuleRollup.createMany({ data: rules });
      await db.securityEventFamilyRollup.createMany({
        data: [
          { ...row, grain: "hour", bucket: started, count: 40 },
          { ...row, grain: "hour", bucket: recent, count: 7 },
        ],
      });
      await db.securityEventRollup.createMany({
        data: [
          { ...row, hour: started, dimension: "path", value: "/comments", count: 3 },
          { ...row, hour: recent, dimension: "path", value: "/comments", count: 1 },
          { ...row, hour: recent, dimension: "path", value: "/profile", count: 2 },
          { ...row, hour: started, dimension: "client", value: "203.0.113.1", count: 3 },
          { ...row, hour: recent, dimension: "client", value: "203.0.113.1", count: 1 },
          { ...row, hour: recent, dimension: "client", value: "203.0.113.2", count: 2 },
        ],
      });
    }
    await db.securityEventFalsePositive.create({
      data: { applicationId: noisy.id, family: "xss", ruleId: "xss.script-tag", eventId: randomUUID(), markedById: cast.ids.lead },
    });
    const suggestions = await findLogOnlySuggestions({ teamIds: null });
    expect(suggestions.filter((s) => s.applicationId === quiet.id)).toEqual([
      expect.objectContaining({
        family: "xss",
        logged: 47,
        // What it would have blocked: the stored logged events, exactly.
        evidence: {
          events: 6,
          clients: 2,
          topRules: [
            { ruleId: "xss.script-tag", count: 42 },
            { ruleId: "xss.event-handler", count: 5 },
          ],
          topPaths: [
            { path: "/comments", count: 4 },
            { path: "/profile", count: 2 },
          ],
        },
      }),
    ]);
    // Without a day of evidence at the start of the quiet period, it is too early to suggest.
    expect((await findLogOnlySuggestions({ teamIds: null, quietDays: 20 })).some((s) => s.applicationId === quiet.id)).toBe(false);
    expect(suggestions.filter((s) => s.applicationId === noisy.id)).toEqual([]);
    // A family that also blocked is not log-only; the storefront team does not see payments' suggestions.
    expect(suggestions.some((s) => s.family === "sqli")).toBe(false);
    expect(await findLogOnlySuggestions({ teamIds: [cast.storefront.id] })).toEqual([]);
  });
});

describe("block spikes (home page)", () => {
  it("names an application blocking more than 3× its 7-day daily average in the last 24 h, within the reader's teams", async () => {
    const { findBlockSpikes } = await import("@/lib/security-events/find-block-spikes");
    const spiking = await paymentsApp(cast);
    const steady = await paymentsApp(cast);
    const hourAgo = new Date(Date.now() - 3_600_000);
    const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);
    await db.securityEventCounter.createMany({
      data: [
        // 7 days × 20 a day before, then 400 today: 20× its average.
        ...[2, 3, 4, 5, 6, 7, 7.9].map((d) => ({
          minute: daysAgo(d),
          applicationId: spiking.id,
          family: "sqli",
          ruleId: "sqli.tautology",
          action: "blocked",
          count: 20,
        })),
        { minute: hourAgo, applicationId: spiking.id, family: "sqli", ruleId: "sqli.tautology", action: "blocked", count: 400 },
        // 100 a day before and 120 today: no spike.
        ...[2, 3, 4, 5, 6, 7, 7.9].map((d) => ({
          minute: daysAgo(d),
          applicationId: steady.id,
          family: "sqli",
          ruleId: "sqli.tautology",
          action: "blocked",
          count: 100,
        })),
        { minute: hourAgo, applicationId: steady.id, family: "sqli", ruleId: "sqli.tautology", action: "blocked", count: 120 },
      ],
    });
    const spikes = await findBlockSpikes({ teamIds: [cast.payments.id] });
    expect(spikes.filter((s) => s.applicationId === spiking.id)).toEqual([expect.objectContaining({ last24h: 400, baseline: 20 })]);
    expect(spikes.some((s) => s.applicationId === steady.id)).toBe(false);
    expect(await findBlockSpikes({ teamIds: [cast.storefront.id] })).toEqual([]);
  });
});
