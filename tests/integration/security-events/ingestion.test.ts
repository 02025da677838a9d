// POST /api/v1/delivery/events through the real route handler on a real database:
// the target token, schema validation with field paths, gzip, idempotency per batch id,
// masking applied again by the portal, application ids the target does not deliver,
// back-pressure measured in the database (429 + Retry-After while every ingestion slot
// is held by other connections), and retention by dropping daily partitions.
import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { MASKED, type SecurityEvent, type SecurityEventBatch } from "@/lib/policy-spec";
import { listEventPartitions, maintainEventPartitions, utcDay } from "@/lib/security-events/event-partitions";
import { createPolicyFixture } from "../policies/policy-fixtures";
import { call, callApi, createCast, paymentsApp, type Cast } from "../policies/policy-test-kit";

let cast: Cast;
let app: { id: string; slug: string };
let otherApp: { id: string; slug: string };
let token: string;
let targetId: string;
const holders: pg.Client[] = [];

beforeAll(async () => {
  cast = await createCast();
  await createPolicyFixture(db, { kind: "baseline", authorId: cast.ids.officer, versions: [{ state: "published" }] });
  app = await paymentsApp(cast);
  otherApp = await paymentsApp(cast, { teamId: cast.storefront.id });
  const created = await call({
    method: "POST",
    path: "/api/v1/delivery/targets",
    cookie: cast.cookies.officer,
    body: { kind: "proxy", name: "events-gw", mode: "gateway", applicationIds: [app.id] },
  });
  token = created.body.token;
  targetId = created.body.id;
});
afterAll(async () => {
  for (const c of holders) await c.end();
});

const event = (overrides: Partial<SecurityEvent> = {}): SecurityEvent => ({
  time: new Date().toISOString(),
  requestId: `r-${randomUUID()}`,
  applicationId: app.id,
  policyVersionId: null,
  policyHash: "sha256:" + "0".repeat(64),
  action: "blocked",
  family: "sqli",
  ruleId: "sqli.union-select",
  method: "GET",
  host: "payments.example",
  path: "/search",
  part: "parameter",
  parameter: "q",
  excerpt: "1 UNION SELECT password FROM users",
  clientIp: "198.51.100.7",
  status: 403,
  ...overrides,
});
const batch = (events: SecurityEvent[], overrides: Partial<SecurityEventBatch> = {}): SecurityEventBatch => ({
  batchId: randomUUID(),
  instanceId: "proxy-1",
  events,
  counters: [
    {
      minute: new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString(),
      applicationId: app.id,
      family: "sqli",
      ruleId: "sqli.union-select",
      action: "blocked",
      count: events.length,
    },
  ],
  dropped: 0,
  ...overrides,
});
const send = (body: unknown, bearer = token, gzip = true) =>
  callApi({
    method: "POST",
    path: "/api/v1/delivery/events",
    bearer,
    rawBody: gzip ? new Uint8Array(gzipSync(JSON.stringify(body))) : JSON.stringify(body),
    headers: { "content-type": "application/json", ...(gzip ? { "content-encoding": "gzip" } : {}) },
  });
const stored = (batchId: string) => db.securityEvent.findMany({ where: { batchId }, orderBy: { requestId: "asc" } });

describe("POST /api/v1/delivery/events", () => {
  it("refuses anything but a live target token", async () => {
    for (const bearer of ["rdt_unknown-token", ""]) expect((await send(batch([event()]), bearer)).status).toBe(401);
    const asUser = await callApi({ method: "POST", path: "/api/v1/delivery/events", cookie: cast.cookies.officer, body: batch([event()]) });
    expect(asUser.status).toBe(401);
  });

  it("stores a gzip batch once, however often it is resent, with its counters counted once", async () => {
    const b = batch([event(), event()]);
    const first = await send(b);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ stored: 2, duplicate: false });
    const again = await send(b);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ stored: 0, duplicate: true });
    expect(await stored(b.batchId)).toHaveLength(2);
    const counter = await db.securityEventCounter.findFirst({
      where: { minute: new Date(b.counters[0]!.minute), applicationId: app.id, ruleId: "sqli.union-select" },
    });
    expect(Number(counter?.count)).toBeGreaterThanOrEqual(2);
    const before = Number(counter!.count);
    await send(b);
    const after = await db.securityEventCounter.findFirst({
      where: { minute: new Date(b.counters[0]!.minute), applicationId: app.id, ruleId: "sqli.union-select" },
    });
    expect(Number(after!.count)).toBe(before);
    // Plain JSON is accepted too.
    expect((await send(batch([event()]), token, false)).status).toBe(201);
  });

  it("validates the batch with field paths (problem+json, never 500)", async () => {
    const bad = await send({ ...batch([event({ action: "allowed" as never, time: "yesterday" })]), batchId: "nope" });
    expect(bad.status).toBe(422);
    const body = await bad.json();
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["body.batchId", "body.events.0.action", "body.events.0.time"]);
    // The compiled check passes what it refuses to zod: every field is still named, unknown ones too.
    const valid = batch([event(), event()]);
    const worse = await send({
      ...valid,
      events: [valid.events[0], { ...valid.events[1], status: 1.5, colour: "red" }],
      counters: [{ ...valid.counters[0], count: 0 }],
    });
    expect(worse.status).toBe(422);
    expect((await worse.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "body.counters.0.count",
      "body.events.1.colour",
      "body.events.1.status",
    ]);
    // Not gzip, though it says so; and a decompression bomb stops at the cap.
    const notGzip = await callApi({
      method: "POST",
      path: "/api/v1/delivery/events",
      bearer: token,
      rawBody: "{}",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
    });
    expect(notGzip.status).toBe(400);
    const bomb = new Uint8Array(gzipSync(Buffer.alloc(20 * 1024 * 1024, 32)));
    const bombed = await callApi({
      method: "POST",
      path: "/api/v1/delivery/events",
      bearer: token,
      rawBody: bomb,
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
    });
    expect(bombed.status).toBe(413);
    const brotli = await callApi({
      method: "POST",
      path: "/api/v1/delivery/events",
      bearer: token,
      rawBody: "{}",
      headers: { "content-type": "application/json", "content-encoding": "br" },
    });
    expect(brotli.status).toBe(415);
  });

  it("masks credentials again and never files an event under an application the target does not deliver", async () => {
    const b = batch([
      event({ part: "header", parameter: "Authorization", excerpt: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc" }),
      event({ part: "parameter", parameter: "password", excerpt: "' or 1=1--" }),
      event({ part: "parameter", parameter: "q", excerpt: "x token=s3cret <script>" }),
      event({ applicationId: otherApp.id }),
    ]);
    expect((await send(b)).status).toBe(201);
    const rows = await db.securityEvent.findMany({ where: { batchId: b.batchId } });
    const byParam = new Map(rows.map((r) => [r.parameter + (r.applicationId ?? "-none"), r]));
    expect(byParam.get(`Authorization${app.id}`)!.excerpt).toBe(MASKED);
    expect(byParam.get(`password${app.id}`)!.excerpt).toBe(MASKED);
    expect(rows.find((r) => r.excerpt.includes("<script>"))!.excerpt).toBe(`x token=${MASKED} <script>`);
    expect(rows.filter((r) => r.applicationId === otherApp.id)).toHaveLength(0);
    expect(rows.filter((r) => r.applicationId === null)).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain("s3cret");
  });

  it("answers 429 with Retry-After while every ingestion slot is taken, and stores the same batch later", async () => {
    process.env.RAMPART_EVENT_INGEST_CONCURRENCY = "2";
    resetEnvCache();
    try {
      // Two other connections (another replica's ingestions) hold both slots.
      for (let slot = 0; slot < 2; slot++) {
        const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await holder.connect();
        holders.push(holder);
        await holder.query("BEGIN");
        await holder.query("SELECT pg_advisory_xact_lock($1::int, $2::int)", [0x52414d45, slot]);
      }
      const b = batch([event()]);
      const refused = await send(b);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(refused.headers.get("content-type")).toBe("application/problem+json");
      expect(await stored(b.batchId)).toHaveLength(0);
      await holders[0]!.query("COMMIT");
      expect((await send(b)).status).toBe(201);
      expect(await stored(b.batchId)).toHaveLength(1);
    } finally {
      for (const h of holders) await h.query("ROLLBACK").catch(() => undefined);
      delete process.env.RAMPART_EVENT_INGEST_CONCURRENCY;
      resetEnvCache();
    }
  });

  it("keeps exact rollups: every counted decision per rule and per family by hour and day, logged events per path and client, once per batch", async () => {
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const b = batch([
      ...Array.from({ length: 5 }, (_, i) => event({ path: `/rollup/${i % 2}`, clientIp: `192.0.2.${i % 3}`, action: i < 3 ? "logged" : "blocked" })),
      event({ time: hourAgo, path: "/rollup/0", action: "logged", family: "xss", ruleId: "xss.script-tag" }),
      event({ applicationId: otherApp.id, path: "/rollup/none", action: "logged" }),
    ]);
    b.counters.push(
      { minute: b.counters[0]!.minute, applicationId: app.id, family: "sqli", ruleId: "sqli.union-select", action: "blocked", count: 7 },
      { minute: b.counters[0]!.minute, applicationId: app.id, family: "sqli", ruleId: "sqli.tautology", action: "logged", count: 2 },
      { minute: hourAgo.slice(0, 17) + "00.000Z", applicationId: app.id, family: "xss", ruleId: "xss.script-tag", action: "logged", count: 1 },
    );
    expect((await send(b)).status).toBe(201);
    expect((await send(b)).status).toBe(200); // a resend adds nothing
    expect((await send(batch([event({ path: "/rollup/1", action: "logged" })]))).status).toBe(201);

    // Path and client rollups equal counting the stored logged events, key by key.
    const fromRollups = (dimension: string) => db.$queryRaw<{ key: string; count: bigint }[]>`
      SELECT concat_ws('|', hour, application_id, family, action, value) AS key, count FROM security_event_rollups
      WHERE dimension = ${dimension} ORDER BY 1`;
    const fromEvents = (column: "path" | "client_ip") => db.$queryRaw<{ key: string; count: bigint }[]>`
      SELECT concat_ws('|', date_trunc('hour', occurred_at, 'UTC'), coalesce(application_id::text, ''), family, action,
        CASE WHEN ${column} = 'path' THEN path ELSE client_ip END) AS key, count(*) AS count
      FROM security_events WHERE action = 'logged' GROUP BY 1 ORDER BY 1`;
    expect(await fromRollups("path")).toEqual(await fromEvents("path"));
    expect(await fromRollups("client")).toEqual(await fromEvents("client_ip"));
    expect(await db.securityEventRollup.count({ where: { action: "blocked" } })).toBe(0);
    const none = await db.securityEventRollup.findMany({ where: { dimension: "path", value: "/rollup/none" } });
    expect(none.map((r) => [r.applicationId, Number(r.count)])).toEqual([["", 1]]);

    // Rule and family rollups, by hour and by day, equal the exact per-minute counters summed.
    for (const grain of ["hour", "day"]) {
      const rules = await db.$queryRaw<{ key: string; count: bigint }[]>`
        SELECT concat_ws('|', bucket, application_id, family, rule_id, action) AS key, count FROM security_event_rule_rollups
        WHERE grain = ${grain} ORDER BY 1`;
      const rulesFromCounters = await db.$queryRaw<{ key: string; count: bigint }[]>`
        SELECT concat_ws('|', date_trunc(${grain}, minute, 'UTC'), application_id, family, rule_id, action) AS key, sum(count)::bigint AS count
        FROM security_event_counters GROUP BY 1 ORDER BY 1`;
      expect(rules).toEqual(rulesFromCounters);
      const families = await db.$queryRaw<{ key: string; count: bigint }[]>`
        SELECT concat_ws('|', bucket, application_id, family, action) AS key, count FROM security_event_family_rollups
        WHERE grain = ${grain} ORDER BY 1`;
      const familiesFromCounters = await db.$queryRaw<{ key: string; count: bigint }[]>`
        SELECT concat_ws('|', date_trunc(${grain}, minute, 'UTC'), application_id, family, action) AS key, sum(count)::bigint AS count
        FROM security_event_counters GROUP BY 1 ORDER BY 1`;
      expect(families).toEqual(familiesFromCounters);
      expect(rules.length).toBeGreaterThan(0);
    }
  });

  it("does not store events older than retention and creates a missing day's partition on demand", async () => {
    const b = batch([event({ time: new Date(Date.now() - 40 * 86_400_000).toISOString() }), event()]);
    expect((await send(b)).status).toBe(201);
    expect(await stored(b.batchId)).toHaveLength(1);
    expect((await db.securityEventBatch.findFirst({ where: { batchId: b.batchId } }))!.dropped).toBe(1);
  });
});

describe("retention", () => {
  it("drops whole daily partitions past RAMPART_EVENT_RETENTION_DAYS and creates the next days ahead", async () => {
    const now = new Date();
    const old = new Date(now.getTime() - 20 * 86_400_000);
    // A partition of 20 days ago with an event in it, as if written then.
    await db.$executeRaw`SELECT rampart_ensure_security_event_partition(${utcDay(old)}::date)`;
    await db.$executeRaw`INSERT INTO security_events (id, occurred_at, target_id, instance_id, batch_id, request_id, policy_hash, action, family, rule_id, method, host, path, part, parameter, excerpt, client_ip, status)
      VALUES (gen_random_uuid(), ${old}, ${targetId}::uuid, 'p', gen_random_uuid(), 'old', '', 'blocked', 'sqli', 'sqli.union-select', 'GET', 'h', '/', 'parameter', 'q', 'x', '1.2.3.4', 403)`;
    expect(await listEventPartitions(db)).toContain(utcDay(old));

    const rollup = { dimension: "path", applicationId: app.id, family: "sqli", action: "logged", value: "/old", count: 1 };
    await db.securityEventRollup.createMany({
      data: [
        { ...rollup, hour: new Date(Math.floor(old.getTime() / 3_600_000) * 3_600_000) },
        { ...rollup, hour: new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000) },
      ],
    });

    const oldDay = new Date(`${utcDay(old)}T00:00:00.000Z`);
    const today = new Date(`${utcDay(now)}T00:00:00.000Z`);
    const decisions = { applicationId: app.id, family: "sqli", action: "blocked", count: 3 };
    for (const [grain, bucket] of [
      ["day", oldDay],
      ["hour", new Date(oldDay.getTime() + 23 * 3_600_000)],
      ["day", today],
      ["hour", today],
    ] as const) {
      await db.securityEventRuleRollup.create({ data: { ...decisions, grain, bucket, ruleId: "sqli.retention" } });
      await db.securityEventFamilyRollup.create({ data: { ...decisions, grain, bucket, family: "retention" } });
    }

    const result = await db.$transaction((tx) => maintainEventPartitions(tx, now, 14));
    // The rule and family rollups of dropped days, day and hour rows alike, go with them.
    const kept = (rows: { grain: string; bucket: Date }[]) => rows.map((r) => `${r.grain} ${r.bucket.toISOString()}`).sort();
    expect(kept(await db.securityEventRuleRollup.findMany({ where: { ruleId: "sqli.retention" } }))).toEqual(
      kept([
        { grain: "day", bucket: today },
        { grain: "hour", bucket: today },
      ]),
    );
    expect(kept(await db.securityEventFamilyRollup.findMany({ where: { family: "retention" } }))).toEqual(
      kept([
        { grain: "day", bucket: today },
        { grain: "hour", bucket: today },
      ]),
    );
    // The rollups of dropped days go with them; today's stay.
    expect((await db.securityEventRollup.findMany({ where: { value: "/old" } })).map((r) => r.hour.getTime())).toEqual([
      Math.floor(now.getTime() / 3_600_000) * 3_600_000,
    ]);
    expect(result.dropped).toContain(utcDay(old));
    const days = await listEventPartitions(db);
    expect(days).not.toContain(utcDay(old));
    for (let d = 0; d <= 3; d++) expect(days).toContain(utcDay(new Date(now.getTime() + d * 86_400_000)));
    expect(await db.securityEvent.count({ where: { requestId: "old" } })).toBe(0);
    // Today's events are untouched.
    expect(await db.securityEvent.count({ where: { occurredAt: { gte: new Date(now.getTime() - 3_600_000) } } })).toBeGreaterThan(0);
  });
});
