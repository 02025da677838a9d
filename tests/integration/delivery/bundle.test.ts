// What a proxy sees: its signed delivery set (verifiable with the served public key), the
// long poll that answers 304 on timeout and is woken by a publication committed through
// ANOTHER database connection (PostgreSQL LISTEN/NOTIFY), its heartbeat, the rollout view,
// and rollback rolling out the same way.
//
// The waking tests wait on events, not time: they poll with the longest wait (60 s), longer
// than the test's own timeout (30 s), so an answer at all proves the notification woke the
// poll; a loaded machine only makes them slower, never wrong.
import { createHash, createPublicKey, verify } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { deliveryListener, stopDeliveryListener } from "@/lib/delivery/delivery-listener";
import { deliverySetSchema, signedBundleSchema, type ProxyStatusReport } from "@/lib/policy-spec";
import { applicationDocument, createPolicyFixture } from "../policies/policy-fixtures";
import { call, callApi, createCast, paymentsApp, type Cast } from "../policies/policy-test-kit";

let cast: Cast;
let app: { id: string; slug: string };
let appPolicy: Awaited<ReturnType<typeof createPolicyFixture>>;
let token: string;
let targetId: string;
const other = new pg.Client({ connectionString: process.env.DATABASE_URL });

beforeAll(async () => {
  cast = await createCast();
  await other.connect();
  await createPolicyFixture(db, { kind: "baseline", authorId: cast.ids.officer, versions: [{ state: "published" }] });
  app = await paymentsApp(cast);
  // v1 published (strict SQL injection rules), v2 approved and waiting (a body limit on top).
  appPolicy = await createPolicyFixture(db, {
    kind: "application",
    application: app,
    authorId: cast.ids.lead,
    officerId: cast.ids.officer,
    versions: [
      { state: "published", content: applicationDocument(app.slug, { denyRules: { sqli: { level: "strict" } } }) },
      { state: "approved", content: applicationDocument(app.slug, { denyRules: { sqli: { level: "strict" } }, limits: { maxBodyBytes: 4096 } }) },
    ],
  });
  const created = await call({
    method: "POST",
    path: "/api/v1/delivery/targets",
    cookie: cast.cookies.officer,
    body: { kind: "proxy", name: "payments-gw", mode: "gateway", applicationIds: [app.id] },
  });
  token = created.body.token;
  targetId = created.body.id;
  await deliveryListener().wait({ since: 0, timeoutMs: 5_000 }); // listening before the timing tests
});
afterAll(async () => {
  await other.end();
  await stopDeliveryListener();
});

const poll = (query = "", bearer = token, headers: Record<string, string> = {}) =>
  callApi({ method: "GET", path: `/api/v1/delivery/bundle${query}`, bearer, headers: { "x-rampart-instance": "test-1", ...headers } });

async function envelopeOf(response: Response) {
  expect(response.status).toBe(200);
  return signedBundleSchema.parse(await response.json());
}

/** Publishes version 2 of the application's policy in one transaction on another connection, as another replica would. */
async function publishOnOtherConnection(versionId: string, previousId: string): Promise<number> {
  await other.query("BEGIN");
  await other.query("UPDATE policy_versions SET state = 'superseded', superseded_at = now(), version = version + 1 WHERE id = $1", [previousId]);
  await other.query("UPDATE policy_versions SET state = 'published', published_at = now(), published_by_id = $2, version = version + 1 WHERE id = $1", [
    versionId,
    cast.ids.officer,
  ]);
  await other.query("UPDATE policies SET published_version_id = $1, version = version + 1 WHERE id = $2", [versionId, appPolicy.policy.id]);
  await other.query("COMMIT");
  return performance.now();
}

/** Poll wait longer than the test timeout: only a notification can end such a poll in time. */
const WAIT_PAST_TEST_TIMEOUT = 60;

/** Resolves once `count` polls are parked on the listener (the event a publication must meet). */
async function untilWaiting(count: number) {
  await vi.waitFor(() => expect(deliveryListener().waiting).toBeGreaterThanOrEqual(count), { timeout: 20_000, interval: 10 });
}

describe("GET /api/v1/delivery/bundle", () => {
  it("serves the target's set signed with the key served at /delivery/signing-key", async () => {
    const response = await poll();
    const envelope = await envelopeOf(response);
    expect(response.headers.get("etag")).toBe(`"${envelope.contentHash}"`);
    expect(envelope.contentHash).toBe(`sha256:${createHash("sha256").update(envelope.payload, "utf8").digest("hex")}`);

    const key = await call({ method: "GET", path: "/api/v1/delivery/signing-key" });
    expect(key.status).toBe(200);
    expect(envelope.signature.keyId).toBe(key.body.keyId);
    const publicKey = createPublicKey(key.body.publicKeyPem);
    expect(verify(null, Buffer.from(envelope.payload, "utf8"), publicKey, Buffer.from(envelope.signature.value, "base64"))).toBe(true);
    // One changed byte and the signature no longer verifies.
    const tampered = envelope.payload.replace('"strict"', '"basic"');
    expect(tampered).not.toBe(envelope.payload);
    expect(verify(null, Buffer.from(tampered, "utf8"), publicKey, Buffer.from(envelope.signature.value, "base64"))).toBe(false);

    const set = deliverySetSchema.parse(JSON.parse(envelope.payload));
    expect(set.target).toEqual({ id: targetId, name: "payments-gw" });
    expect(set.applications.map((a) => a.applicationId)).toEqual([app.id]);
    // The same bundle the application's own bundle endpoint compiles.
    const own = await callApi({ method: "GET", path: `/api/v1/applications/${app.id}/policy/bundle`, cookie: cast.cookies.officer });
    expect(set.applications[0]!.bundle.contentHash).toBe(JSON.parse(await own.text()).contentHash);
  });

  it("refuses unknown, user and missing tokens with 401 problem+json", async () => {
    for (const bearer of ["rdt_unknown-token-value", "rpt_a-user-api-token", ""]) {
      const response = await poll("", bearer);
      expect(response.status).toBe(401);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
    }
    // A signed-in user is not a proxy either.
    const withCookie = await callApi({ method: "GET", path: "/api/v1/delivery/bundle", cookie: cast.cookies.officer });
    expect(withCookie.status).toBe(401);
  });

  it("validates the query with field paths", async () => {
    const response = await poll("?hash=md5:abc&wait=600");
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["query.hash", "query.wait"]);
  });

  it("answers 304 when nothing changes within `wait`", async () => {
    const current = await envelopeOf(await poll());
    const waits = vi.spyOn(deliveryListener(), "wait");
    try {
      const response = await poll(`?hash=${current.contentHash}&wait=1`);
      expect(response.status).toBe(304);
      expect(response.headers.get("etag")).toBe(`"${current.contentHash}"`);
      // It did wait: parked on the listener for what was left of the second, and its own
      // timeout (not a notification) ended that wait.
      expect(waits).toHaveBeenCalledWith(expect.objectContaining({ timeoutMs: expect.any(Number) }));
      const last = waits.mock.calls.at(-1)![0];
      expect(last.timeoutMs).toBeGreaterThan(0);
      expect(last.timeoutMs).toBeLessThanOrEqual(1000);
      await expect(waits.mock.results.at(-1)!.value).resolves.toBe("timeout");
    } finally {
      waits.mockRestore();
    }
  });

  it("wakes every waiting poll on a publication committed through another connection", async () => {
    const before = await envelopeOf(await poll());
    expect(deliveryListener().connected).toBe(true);
    const generation = deliveryListener().generation;
    // 50 proxies waiting with the current hash; only a notification ends their wait within the test.
    const waiting = Array.from({ length: 50 }, () =>
      poll(`?hash=${before.contentHash}&wait=${WAIT_PAST_TEST_TIMEOUT}`).then(async (response) => ({
        response,
        at: performance.now(),
        body: await response.text(),
      })),
    );
    await untilWaiting(50);
    const committedAt = await publishOnOtherConnection(appPolicy.versions[1]!.id, appPolicy.versions[0]!.id);
    const results = await Promise.all(waiting);
    const latencies = results.map((r) => r.at - committedAt).sort((a, b) => a - b);
    const hashes = new Set(results.map((r) => signedBundleSchema.parse(JSON.parse(r.body)).contentHash));
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(hashes.size).toBe(1);
    expect([...hashes][0]).not.toBe(before.contentHash);
    expect(deliveryListener().generation).toBeGreaterThan(generation);
    const p50 = latencies[Math.floor(latencies.length * 0.5)]!;
    const p99 = latencies[Math.ceil(latencies.length * 0.99) - 1]!;
    // Figures for the reader, not assertions: `npm run bench:delivery` measures propagation.
    console.log(`[delivery] 50 in-process polls woken by NOTIFY: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`);
  });

  it("ends a waiting poll with 401 when the target is revoked meanwhile", async () => {
    const extra = await call({
      method: "POST",
      path: "/api/v1/delivery/targets",
      cookie: cast.cookies.officer,
      body: { kind: "proxy", name: "soon-revoked", mode: "microgateway" },
    });
    const current = await envelopeOf(await poll("", extra.body.token));
    const parked = deliveryListener().waiting;
    const waiting = poll(`?hash=${current.contentHash}&wait=${WAIT_PAST_TEST_TIMEOUT}`, extra.body.token);
    await untilWaiting(parked + 1);
    await call({ method: "POST", path: `/api/v1/delivery/targets/${extra.body.id}/revoke`, cookie: cast.cookies.officer, headers: { "if-match": '"1"' } });
    const response = await waiting;
    expect(response.status).toBe(401);
  });
});

describe("POST /api/v1/delivery/status and the rollout view", () => {
  const report = (overrides: Partial<ProxyStatusReport> = {}): ProxyStatusReport => ({
    instanceId: "gw-1",
    hostname: "gw-host-1",
    mode: "gateway",
    proxyVersion: "0.1.0",
    startedAt: new Date().toISOString(),
    runningHash: null,
    running: [],
    reloadErrors: [],
    counters: { requests: 10, blocked: 1, upstreamErrors: 0, reloads: 1 },
    ...overrides,
  });
  const send = (body: unknown, bearer = token) => call({ method: "POST", path: "/api/v1/delivery/status", bearer, body });

  it("upserts one row per instance and shows desired versus running", async () => {
    const current = await envelopeOf(await poll());
    const set = deliverySetSchema.parse(JSON.parse(current.payload));
    const running = set.applications.map((a) => ({ applicationId: a.applicationId, contentHash: a.bundle.contentHash }));

    expect((await send(report({ runningHash: null }))).status).toBe(204);
    expect(
      (await send(report({ runningHash: current.contentHash, running, counters: { requests: 99, blocked: 3, upstreamErrors: 0, reloads: 2 } }))).status,
    ).toBe(204);
    expect(
      (await send(report({ instanceId: "gw-2", runningHash: null, reloadErrors: [{ at: new Date().toISOString(), message: "bad signature" }] }))).status,
    ).toBe(204);
    const rows = await db.proxyInstanceStatus.findMany({ where: { targetId }, orderBy: { instanceId: "asc" } });
    expect(rows.map((r) => r.instanceId)).toEqual(["gw-1", "gw-2"]);
    expect(rows[0]!.counters).toEqual({ requests: 99, blocked: 3, upstreamErrors: 0, reloads: 2 });
    expect(rows[0]!.runningHash).toBe(current.contentHash);

    const rollout = await call({ method: "GET", path: "/api/v1/delivery/rollout", cookie: cast.cookies.developer });
    expect(rollout.status).toBe(200);
    const target = rollout.body.targets.find((t: { id: string }) => t.id === targetId);
    expect(target.desiredHash).toBe(current.contentHash);
    expect(target.state).toBe("failing");
    expect(target.instances.map((i: { instanceId: string; state: string }) => [i.instanceId, i.state])).toEqual([
      ["gw-1", "in-sync"],
      ["gw-2", "failing"],
    ]);
    expect(target.applications[0]).toMatchObject({ applicationId: app.id, instancesInSync: 1, instancesLive: 2, excludedReason: null });
    expect(target.applications[0].desired.applicationVersion.number).toBe(2);
  });

  it("refuses a bad report with field paths, and a user's credentials", async () => {
    const bad = await send({ ...report(), runningHash: "nope", counters: { requests: -1 } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(["body.runningHash", "body.counters.requests"]));
    const asUser = await call({ method: "POST", path: "/api/v1/delivery/status", cookie: cast.cookies.officer, body: report() });
    expect(asUser.status).toBe(401);
  });

  it("forgets instances silent for a week when another reports, and keeps an instance's first sighting", async () => {
    const weekAgo = new Date(Date.now() - 8 * 86_400_000);
    await db.proxyInstanceStatus.create({
      data: { targetId, instanceId: "gw-gone", mode: "gateway", startedAt: weekAgo, firstSeenAt: weekAgo, lastSeenAt: weekAgo },
    });
    expect((await send(report({ instanceId: "gw-3" }))).status).toBe(204);
    const first = await db.proxyInstanceStatus.findUniqueOrThrow({ where: { targetId_instanceId: { targetId, instanceId: "gw-3" } } });
    expect((await send(report({ instanceId: "gw-3", hostname: "gw-host-3" }))).status).toBe(204);
    const again = await db.proxyInstanceStatus.findUniqueOrThrow({ where: { targetId_instanceId: { targetId, instanceId: "gw-3" } } });
    expect(again.hostname).toBe("gw-host-3");
    expect(again.firstSeenAt).toEqual(first.firstSeenAt);
    expect(again.lastSeenAt.getTime()).toBeGreaterThanOrEqual(first.lastSeenAt.getTime());
    expect(await db.proxyInstanceStatus.count({ where: { targetId, instanceId: "gw-gone" } })).toBe(0);
  });

  it("flags a target that never connected, and explains an application left out", async () => {
    const internet = await paymentsApp(cast, { exposure: "internet" });
    const created = await call({
      method: "POST",
      path: "/api/v1/delivery/targets",
      cookie: cast.cookies.officer,
      body: { kind: "proxy", name: "edge-new", mode: "gateway", applicationIds: [internet.id] },
    });
    const rollout = await call({ method: "GET", path: "/api/v1/delivery/rollout", cookie: cast.cookies.officer });
    const target = rollout.body.targets.find((t: { id: string }) => t.id === created.body.id);
    expect(target.state).toBe("never-connected");
    expect(target.applications[0].desired).toBeNull();
    expect(target.applications[0].excludedReason).toMatch(/exposed to the internet/);
  });
});

describe("rollback", () => {
  it("publishes an earlier version again as a new, audited version that rolls out the same way", async () => {
    const policy = await db.policy.findUniqueOrThrow({ where: { id: appPolicy.policy.id }, include: { publishedVersion: true } });
    expect(policy.publishedVersion?.number).toBe(2);
    const before = await envelopeOf(await poll());
    const parked = deliveryListener().waiting;
    const waiting = poll(`?hash=${before.contentHash}&wait=${WAIT_PAST_TEST_TIMEOUT}`);
    await untilWaiting(parked + 1);
    const v1 = appPolicy.versions[0]!;
    const path = `/api/v1/policies/${policy.id}/versions/${v1.id}/rollback`;

    expect((await call({ method: "POST", path, cookie: cast.cookies.lead, headers: { "if-match": `"${policy.version}"` }, body: {} })).status).toBe(403);
    const stale = await call({ method: "POST", path, cookie: cast.cookies.officer, headers: { "if-match": `"${policy.version - 1}"` }, body: {} });
    expect(stale.status).toBe(409);

    const rolled = await call({
      method: "POST",
      path,
      cookie: cast.cookies.officer,
      headers: { "if-match": `"${policy.version}"` },
      body: { note: "v2 broke uploads" },
    });
    expect(rolled.status, JSON.stringify(rolled.body)).toBe(201);
    expect(rolled.body).toMatchObject({ number: 3, state: "published", parentId: v1.id, note: "v2 broke uploads" });
    const versions = await db.policyVersion.findMany({ where: { policyId: policy.id }, orderBy: { number: "asc" } });
    expect(versions.map((v) => [v.number, v.state])).toEqual([
      [1, "superseded"],
      [2, "superseded"],
      [3, "published"],
    ]);
    expect(versions[2]!.contentHash).toBe(versions[0]!.contentHash);

    const woken = await waiting;
    const after = await envelopeOf(woken);
    const set = deliverySetSchema.parse(JSON.parse(after.payload));
    expect(set.applications[0]!.bundle.sources.application?.versionId).toBe(versions[2]!.id);
    expect(set.applications[0]!.bundle.limits.maxBodyBytes).not.toBe(4096);

    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "policy.version.rollback", targetId: versions[2]!.id } });
    expect(audit.summary).toMatchObject({ from: 2, to: 1, created: 3 });

    const again = await call({
      method: "POST",
      path: `/api/v1/policies/${policy.id}/versions/${versions[2]!.id}/rollback`,
      cookie: cast.cookies.officer,
      headers: { "if-match": `"${policy.version + 1}"` },
      body: {},
    });
    expect(again.status).toBe(409);
  });
});
