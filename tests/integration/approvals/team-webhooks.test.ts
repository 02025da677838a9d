// Team webhooks on real PostgreSQL with a real HTTP receiver on 127.0.0.1: admins set a
// team's URL (https, or http to loopback) through the API; the exception expiry sweep puts
// one delivery per notice into the outbox in its own transaction (none for a team without
// a URL); the webhook sweep POSTs it once, even with replicas sweeping at the same time;
// a failing, slow or redirecting receiver is retried later with its error recorded, and a
// slow one holds up nobody else.
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allowLoopbackEgress, disallowLoopbackEgress } from "../../helpers/allow-loopback-egress";
import { sweepExceptionExpiry } from "@/lib/approvals/sweep-exception-expiry";
import { db } from "@/lib/db/client";
import { sweepWebhookDeliveries } from "@/lib/webhooks/sweep-webhook-deliveries";
import { createTeam } from "@/prisma/factories";
import { applicationDocument, createPolicyFixture, dayFrom, searchException } from "../policies/policy-fixtures";
import { call, createCast, paymentsApp, type Cast } from "../policies/policy-test-kit";

const DAY = 86_400_000;
const NOW = new Date();
const day = (offset: number) => dayFrom(offset, NOW);
const exception = searchException;

type Mode = "ok" | "fail" | "hang" | "redirect";
type Received = { path: string; headers: http.IncomingHttpHeaders; raw: string; body: any };

const RECEIVER_ERROR_TEXT = "stack trace of the receiver: db password hunter2";

// One receiver; each team posts to a path of its own, whose behaviour the test sets.
const modes = new Map<string, Mode>();
const received: Received[] = [];
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const path = req.url ?? "";
    const raw = Buffer.concat(chunks).toString("utf8");
    received.push({ path, headers: req.headers, raw, body: raw ? JSON.parse(raw) : null });
    const mode = modes.get(path) ?? "ok";
    if (mode === "hang") return; // never answers; the sender's timeout must end it
    if (mode === "redirect") {
      res.writeHead(302, { location: `${path}/elsewhere` }).end();
      return;
    }
    // A failing receiver says why in its body, which the portal must never repeat (issue #12).
    if (mode === "ok") res.writeHead(204).end();
    else res.writeHead(500, { "content-type": "text/plain" }).end(RECEIVER_ERROR_TEXT);
  });
});
let base = "";
let cast: Cast;

beforeAll(async () => {
  // The receiver listens on 127.0.0.1, which the portal calls only when the operator allows it.
  allowLoopbackEgress();
  cast = await createCast();
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

/** A team whose webhook answers as `mode` (no URL with mode null), with one published policy carrying these exceptions. */
async function teamWithPolicy(mode: Mode | null, exceptions: ReturnType<typeof exception>[]) {
  const team = await createTeam(db);
  await db.membership.create({ data: { teamId: team.id, userId: cast.ids.developer, role: "developer" } });
  const path = `/hook/${team.slug}`;
  if (mode) {
    modes.set(path, mode);
    await db.team.update({ where: { id: team.id }, data: { webhookUrl: `${base}${path}` } });
  }
  const app = await paymentsApp(cast, { teamId: team.id });
  const { policy } = await createPolicyFixture(db, {
    kind: "application",
    application: app,
    authorId: cast.ids.lead,
    officerId: cast.ids.officer,
    versions: [{ state: "published", content: applicationDocument(app.slug, { exceptions }) }],
  });
  return { team, app, path, policyId: policy.id };
}

const deliveriesOf = (teamId: string) => db.webhookDelivery.findMany({ where: { teamId }, orderBy: { createdAt: "asc" } });
const receivedAt = (path: string) => received.filter((r) => r.path === path);

describe("a team's webhook URL", () => {
  const patch = (teamId: string, version: number, body: unknown, cookie = cast.cookies.admin) =>
    call({ method: "PATCH", path: `/api/v1/teams/${teamId}`, cookie, body, headers: { "if-match": `"${version}"` } });

  it("is refused with a field error unless it is https, or http to a loopback address", async () => {
    const team = await createTeam(db);
    for (const [url, message] of [
      ["http://hooks.example.com/rampart", /must use https/],
      ["ftp://hooks.example.com/rampart", /https/],
      ["not a url", /is not a URL/],
      ["https://user:secret@hooks.example.com/", /user name or password/],
    ] as const) {
      const res = await patch(team.id, 1, { webhookUrl: url });
      expect(res.status, url).toBe(422);
      expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: "body.webhookUrl", message: expect.stringMatching(message) })]);
    }
    expect((await db.team.findUniqueOrThrow({ where: { id: team.id } })).webhookUrl).toBeNull();
  });

  it("is set and removed by an admin, shown only to those who may manage teams, and audited without its path", async () => {
    const team = await createTeam(db);
    await db.membership.create({ data: { teamId: team.id, userId: cast.ids.developer, role: "developer" } });
    const set = await patch(team.id, 1, { webhookUrl: "https://hooks.example.com/rampart/s3cr3t-token" });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ webhookConfigured: true, webhookUrl: "https://hooks.example.com/rampart/s3cr3t-token", version: 2 });

    const asMember = await call({ method: "GET", path: `/api/v1/teams/${team.id}`, cookie: cast.cookies.developer });
    expect(asMember.status).toBe(200);
    expect(asMember.body.webhookConfigured).toBe(true);
    expect(asMember.body).not.toHaveProperty("webhookUrl");
    // A member may not set it.
    expect((await patch(team.id, 2, { webhookUrl: null }, cast.cookies.developer)).status).toBe(403);

    const loopback = await patch(team.id, 2, { webhookUrl: "http://127.0.0.1:9/dev" });
    expect(loopback.status).toBe(200);
    const removed = await patch(team.id, 3, { webhookUrl: null });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ webhookConfigured: false, webhookUrl: null });

    const events = await db.auditEvent.findMany({ where: { action: "team.update", targetId: team.id }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => (e.summary as { after: { webhook: string | null } }).after.webhook)).toEqual([
      "https://hooks.example.com",
      "http://127.0.0.1:9",
      null,
    ]);
    expect(JSON.stringify(events.map((e) => e.summary))).not.toContain("s3cr3t-token");
  });
});

describe("webhook deliveries of expiry notices", () => {
  it("enqueues one delivery per notice, in the sweep's transaction, and sends each once with the event headers", async () => {
    const { team, app, path, policyId } = await teamWithPolicy("ok", [exception("soon", day(10)), exception("gone", day(-1)), exception("far", day(40))]);
    const sent = (await sweepExceptionExpiry({ now: NOW })).sent.filter((n) => n.policyId === policyId);
    expect(sent).toHaveLength(2);
    const queued = await deliveriesOf(team.id);
    expect(queued.map((d) => d.event).sort()).toEqual(["policy.exception.expired", "policy.exception.expiring"]);
    expect(queued.every((d) => d.attempts === 0 && d.deliveredAt === null)).toBe(true);
    // A second expiry sweep sends no new notice, so it queues nothing either.
    await sweepExceptionExpiry({ now: NOW });
    expect(await deliveriesOf(team.id)).toHaveLength(2);

    const result = await sweepWebhookDeliveries({ now: NOW });
    expect(result.delivered).toEqual(expect.arrayContaining(queued.map((d) => d.id)));
    const posts = receivedAt(path);
    expect(posts).toHaveLength(2);
    const soon = posts.find((p) => p.body.data.exceptionId === "soon")!;
    expect(soon.headers).toMatchObject({ "content-type": "application/json", "user-agent": "Rampart", "x-rampart-event": "policy.exception.expiring" });
    expect(soon.headers["x-rampart-delivery"]).toBe(soon.body.id);
    // No secret generated, no signature.
    expect(soon.headers["x-rampart-signature"]).toBeUndefined();
    expect(soon.body).toMatchObject({
      event: "policy.exception.expiring",
      team: { id: team.id, slug: team.slug },
      title: `Exception "soon" of ${app.name} expires in 10 days (${day(10)})`,
      link: `/policies/${policyId}`,
      data: { policyId, application: app.slug, exceptionId: "soon", expires: day(10), stage: "14d" },
    });
    const after = await deliveriesOf(team.id);
    expect(after.every((d) => d.deliveredAt !== null && d.nextAttemptAt === null && d.attempts === 1 && d.lastError === null)).toBe(true);

    // Delivered is done: later sweeps send nothing more.
    await sweepWebhookDeliveries({ now: new Date(NOW.getTime() + DAY) });
    expect(receivedAt(path)).toHaveLength(2);
  });

  it("enqueues nothing for a team without a webhook URL", async () => {
    const { team, policyId } = await teamWithPolicy(null, [exception("quiet", day(2))]);
    const sent = (await sweepExceptionExpiry({ now: NOW })).sent.filter((n) => n.policyId === policyId);
    expect(sent).toHaveLength(1);
    expect(await db.notification.count({ where: { link: `/policies/${policyId}`, userId: cast.ids.developer } })).toBe(1);
    expect(await deliveriesOf(team.id)).toEqual([]);
  });

  it("delivers once when replicas sweep at the same time", async () => {
    const { team, path } = await teamWithPolicy("ok", [exception("a", day(1)), exception("b", day(12)), exception("c", day(-3))]);
    await sweepExceptionExpiry({ now: NOW });
    const queued = await deliveriesOf(team.id);
    expect(queued).toHaveLength(3);
    const results = await Promise.all([0, 1, 2, 3].map(() => sweepWebhookDeliveries({ now: NOW })));
    const delivered = results.flatMap((r) => r.delivered).filter((id) => queued.some((d) => d.id === id));
    expect(delivered.sort()).toEqual(queued.map((d) => d.id).sort());
    expect(
      receivedAt(path)
        .map((r) => r.body.id)
        .sort(),
    ).toEqual(queued.map((d) => d.id).sort());
    expect((await deliveriesOf(team.id)).every((d) => d.attempts === 1 && d.deliveredAt)).toBe(true);
  });

  it("records a failing receiver's error and retries later with backoff, until it answers", async () => {
    const { team, path } = await teamWithPolicy("fail", [exception("retry", day(2))]);
    await sweepExceptionExpiry({ now: NOW });
    const [queued] = await deliveriesOf(team.id);

    const first = await sweepWebhookDeliveries({ now: NOW });
    expect(first.failed.find((f) => f.id === queued!.id)).toMatchObject({ error: "HTTP 500", attempts: 1 });
    let row = await db.webhookDelivery.findUniqueOrThrow({ where: { id: queued!.id } });
    expect(row).toMatchObject({ attempts: 1, deliveredAt: null, lastError: "HTTP 500" });
    expect(JSON.stringify(row)).not.toContain("hunter2");
    expect(row.nextAttemptAt!.getTime() - NOW.getTime()).toBe(30_000);

    // Not yet due: no second attempt within the backoff.
    await sweepWebhookDeliveries({ now: new Date(NOW.getTime() + 10_000) });
    expect(receivedAt(path)).toHaveLength(1);

    // Second failure doubles the wait.
    await sweepWebhookDeliveries({ now: new Date(NOW.getTime() + 31_000) });
    row = await db.webhookDelivery.findUniqueOrThrow({ where: { id: queued!.id } });
    expect(row).toMatchObject({ attempts: 2, lastError: "HTTP 500" });
    expect(row.nextAttemptAt!.getTime() - (NOW.getTime() + 31_000)).toBe(60_000);

    // The receiver recovers; the next due sweep delivers and clears the error.
    modes.set(path, "ok");
    await sweepWebhookDeliveries({ now: new Date(NOW.getTime() + 92_000) });
    row = await db.webhookDelivery.findUniqueOrThrow({ where: { id: queued!.id } });
    expect(row).toMatchObject({ attempts: 3, lastError: null, nextAttemptAt: null });
    expect(row.deliveredAt).not.toBeNull();
    expect(receivedAt(path)).toHaveLength(3);
  });

  it("signs each delivery with the team's secret, shown once when generated", async () => {
    const { team, path, policyId } = await teamWithPolicy("ok", [exception("signed", day(2))]);
    const rotate = (cookie: string, version: number) =>
      call({ method: "POST", path: `/api/v1/teams/${team.id}/webhook-secret`, cookie, headers: { "if-match": `"${version}"` } });
    expect((await rotate(cast.cookies.developer, 1)).status).toBe(403);
    const issued = await rotate(cast.cookies.admin, 1);
    expect(issued.status).toBe(200);
    const secret: string = issued.body.webhookSecret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(issued.body).toMatchObject({ webhookSigned: true, version: 2 });
    // Never shown again, nor written to the audit trail.
    const read = await call({ method: "GET", path: `/api/v1/teams/${team.id}`, cookie: cast.cookies.admin });
    expect(JSON.stringify(read.body)).not.toContain(secret);
    expect(read.body.webhookSigned).toBe(true);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "team.webhook-secret.rotate", targetId: team.id } });
    expect(JSON.stringify(audit.summary)).not.toContain(secret);
    // Stored sealed (AES-256-GCM), never in the clear.
    const stored = await db.team.findUniqueOrThrow({ where: { id: team.id }, select: { webhookSecretCiphertext: true } });
    expect(Buffer.from(stored.webhookSecretCiphertext!).toString("latin1")).not.toContain(secret);
    // A stale If-Match is refused.
    expect((await rotate(cast.cookies.admin, 1)).status).toBe(409);

    await sweepExceptionExpiry({ now: NOW });
    await sweepWebhookDeliveries({ now: NOW });
    const [post] = receivedAt(path);
    expect(post?.body.link).toBe(`/policies/${policyId}`);
    const header = String(post!.headers["x-rampart-signature"]);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header)!;
    expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(60);
    expect(v1).toBe(createHmac("sha256", secret).update(`${t}.${post!.raw}`).digest("hex"));
  });

  it("gives up a slow receiver at the timeout without holding up another team's delivery", async () => {
    const slow = await teamWithPolicy("hang", [exception("slow", day(1))]);
    const fast = await teamWithPolicy("ok", [exception("fast", day(1))]);
    await sweepExceptionExpiry({ now: NOW });
    const [slowDelivery] = await deliveriesOf(slow.team.id);
    const [fastDelivery] = await deliveriesOf(fast.team.id);

    // The receiver never answers: the sweep returning at all, with the timeout recorded, is the proof.
    const result = await sweepWebhookDeliveries({ now: NOW, timeoutMs: 400 });
    expect(result.delivered).toContain(fastDelivery!.id);
    expect(result.failed.find((f) => f.id === slowDelivery!.id)?.error).toBe("no answer within 400 ms");
    const row = await db.webhookDelivery.findUniqueOrThrow({ where: { id: slowDelivery!.id } });
    expect(row).toMatchObject({ attempts: 1, deliveredAt: null, lastError: "no answer within 400 ms" });
    expect(row.nextAttemptAt).not.toBeNull();
    // Its retry, due in later sweeps of this file, need not make them wait.
    modes.set(slow.path, "ok");
  });

  it("does not follow a redirect, and gives up after the last attempt", async () => {
    const { team, path } = await teamWithPolicy("redirect", [exception("moved", day(1))]);
    await sweepExceptionExpiry({ now: NOW });
    const [queued] = await deliveriesOf(team.id);
    await sweepWebhookDeliveries({ now: NOW, maxAttempts: 2 });
    await sweepWebhookDeliveries({ now: new Date(NOW.getTime() + 31_000), maxAttempts: 2 });
    // Only the configured URL was ever called, never the redirect's target.
    expect(received.filter((r) => r.path.startsWith(path)).map((r) => r.path)).toEqual([path, path]);
    const row = await db.webhookDelivery.findUniqueOrThrow({ where: { id: queued!.id } });
    expect(row).toMatchObject({ attempts: 2, deliveredAt: null, nextAttemptAt: null });
    // Refused by the outbound guard, and the Location header (the receiver's words) is not kept.
    expect(row.lastError).toBe("answered 302, a redirect, which the portal does not follow");
    // Given up: no further sweep touches it.
    await sweepWebhookDeliveries({ now: new Date(NOW.getTime() + DAY), maxAttempts: 2 });
    expect(received.filter((r) => r.path.startsWith(path))).toHaveLength(2);
  });

  it("a receiver inside the portal's network is refused unless the operator allows it: at registration, and again at every send", async () => {
    const { team, path } = await teamWithPolicy("ok", [exception("closed-network", day(1))]);
    disallowLoopbackEgress();
    try {
      const refused = await call({
        method: "PATCH",
        path: `/api/v1/teams/${team.id}`,
        cookie: cast.cookies.admin,
        headers: { "if-match": `"${(await db.team.findUniqueOrThrow({ where: { id: team.id } })).version}"` },
        body: { webhookUrl: `${base}/other` },
      });
      expect(refused.status).toBe(422);
      expect(refused.body.errors[0].path).toBe("body.webhookUrl");
      expect(refused.body.errors[0].message).toMatch(/loopback/);
      // Registered while it was allowed: the send checks again and nothing reaches the receiver.
      await sweepExceptionExpiry({ now: NOW });
      const [queued] = await deliveriesOf(team.id);
      await sweepWebhookDeliveries({ now: NOW });
      expect(received.filter((r) => r.path.startsWith(path))).toHaveLength(0);
      const row = await db.webhookDelivery.findUniqueOrThrow({ where: { id: queued!.id } });
      expect(row.lastError).toMatch(/127\.0\.0\.1 \(loopback\)/);
    } finally {
      allowLoopbackEgress();
    }
  });
});
