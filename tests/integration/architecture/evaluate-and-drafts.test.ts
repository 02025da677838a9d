// The public side of the architecture questionnaire: evaluation and drafts need no
// sign-in, are validated strictly and are throttled per client IP in PostgreSQL.
import { beforeAll, describe, expect, it } from "vitest";
import { THROTTLES } from "@/lib/architecture/architecture-throttle";
import { db } from "@/lib/db/client";
import { createTeam, createUser } from "@/prisma/factories";
import { callApi, json } from "../../helpers/call-api";
import { sessionCookieFor } from "../../helpers/sign-in-as";

const ANSWERS = {
  classicWorkloads: false,
  kubernetesWorkloads: "most",
  kubernetesKnowHow: "high",
  perimeterRequired: false,
  zeroTrust: true,
  sharedResponsibility: true,
  changeFrequency: "frequent",
  bundleWithApplication: true,
};

let alice: string;
let bob: string;

beforeAll(async () => {
  const team = await createTeam(db);
  alice = await sessionCookieFor((await createUser(db, { memberships: [{ teamId: team.id, role: "developer" }] })).id);
  bob = await sessionCookieFor((await createUser(db, { memberships: [{ teamId: team.id, role: "developer" }] })).id);
});

let ipSeq = 0;
/** A client address of its own, so throttling in one test never leaks into another. */
const freshIp = () => `198.51.100.${++ipSeq}`;

const evaluate = (body: unknown, ip = freshIp()) =>
  callApi({ method: "POST", path: "/api/v1/architecture/evaluate", body, headers: { "x-forwarded-for": ip } });

describe("POST /api/v1/architecture/evaluate", () => {
  it("recommends without sign-in, with scores, reasons, warnings, flips and a result link", async () => {
    const res = await evaluate({ answers: ANSWERS });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.architecture).toBe("B");
    expect(body.scores).toEqual({ A: 9, B: 18, C: -14 });
    expect(body.reasons).toHaveLength(8);
    expect(body.reasons[0]).toMatchObject({ factor: "classicWorkloads", answer: false, effects: { A: 0, B: 2, C: -1 } });
    expect(body.warnings).toEqual([]);
    expect(body.flips).toContainEqual({ factor: "perimeterRequired", from: false, to: true, architecture: "A" });
    expect(body.resultPath).toBe(
      "/architecture/result?classicWorkloads=false&kubernetesWorkloads=most&kubernetesKnowHow=high&perimeterRequired=false&zeroTrust=true&sharedResponsibility=true&changeFrequency=frequent&bundleWithApplication=true",
    );
  });

  it("points out contradictions instead of resolving them", async () => {
    const body = await json(await evaluate({ answers: { ...ANSWERS, classicWorkloads: true, kubernetesWorkloads: "none" } }));
    expect(body.architecture).toBe("C");
    expect(body.warnings.map((w: { code: string }) => w.code)).toEqual(
      expect.arrayContaining(["zero-trust-without-kubernetes", "bundle-without-kubernetes", "ruled-out-scored-higher"]),
    );
    expect(body.ruledOut.map((r: { architecture: string }) => r.architecture).sort()).toEqual(["A", "B", "B"]);
  });

  it.each([
    ["a missing required factor", { answers: { ...ANSWERS, zeroTrust: undefined } }, "body.answers.zeroTrust", "is required"],
    ["an unknown value", { answers: { ...ANSWERS, kubernetesWorkloads: "lots" } }, "body.answers.kubernetesWorkloads", "must be one of: none, some, most"],
    ["a boolean sent as text", { answers: { ...ANSWERS, zeroTrust: "yes" } }, "body.answers.zeroTrust", "must be true or false"],
    ["an unknown factor", { answers: { ...ANSWERS, cloud: "aws" } }, "body.answers.cloud", "Unknown field."],
    ["a bad optional factor", { answers: { ...ANSWERS, teamProcess: "waterfall" } }, "body.answers.teamProcess", "must be one of: ticketing, devsecops"],
    ["no answers at all", {}, "body.answers", undefined],
  ] as const)("refuses %s with 422 and the field path", async (_name, body, path, message) => {
    const res = await evaluate(body);
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = await json(res);
    expect(problem.code).toBe("VALIDATION_FAILED");
    const error = problem.errors.find((e: { path: string }) => e.path === path);
    expect(error, JSON.stringify(problem.errors)).toBeDefined();
    if (message) expect(error.message).toBe(message);
  });

  it("throttles per client IP: over the limit → 429 with Retry-After, other addresses unaffected", async () => {
    const ip = freshIp();
    const { limit } = THROTTLES.evaluate;
    for (let i = 0; i < limit; i++) expect((await evaluate({ answers: ANSWERS }, ip)).status).toBe(200);
    const refused = await evaluate({ answers: ANSWERS }, ip);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const problem = await json(refused);
    expect(problem).toMatchObject({ code: "RATE_LIMITED", status: 429 });
    expect(problem.retryAfterSeconds).toBeGreaterThan(0);
    // The counter lives in PostgreSQL, shared by every portal replica.
    const bucket = await db.rateLimitBucket.findUniqueOrThrow({ where: { key: `architecture-evaluate:ip:${ip}` } });
    expect(bucket.count).toBe(limit + 1);
    expect((await evaluate({ answers: ANSWERS }, freshIp())).status).toBe(200);
  });

  it("refuses when the shared counter is already at the limit (hits counted by another replica)", async () => {
    const ip = freshIp();
    await db.rateLimitBucket.create({ data: { key: `architecture-evaluate:ip:${ip}`, windowStart: new Date(), count: THROTTLES.evaluate.limit } });
    expect((await evaluate({ answers: ANSWERS }, ip)).status).toBe(429);
  });
});

const drafts = (call: { method: "GET" | "POST" | "PATCH"; path?: string; body?: unknown; cookie?: string; version?: number; ip?: string }) =>
  callApi({
    method: call.method,
    path: `/api/v1/architecture/drafts${call.path ?? ""}`,
    body: call.body,
    cookie: call.cookie,
    headers: { "x-forwarded-for": call.ip ?? freshIp(), ...(call.version ? { "if-match": `"${call.version}"` } : {}) },
  });

describe("questionnaire drafts", () => {
  it("lets an anonymous visitor save part-way and resume by the draft's id", async () => {
    const created = await drafts({ method: "POST", body: { answers: { classicWorkloads: true }, step: 1 } });
    expect(created.status).toBe(201);
    const draft = await json(created);
    expect(draft).toMatchObject({ answers: { classicWorkloads: true }, step: 1, complete: false, owned: false, version: 1 });
    expect(created.headers.get("etag")).toBe('"1"');

    const resumed = await json(await drafts({ method: "GET", path: `/${draft.id}` }));
    expect(resumed.answers).toEqual({ classicWorkloads: true });

    const updated = await drafts({ method: "PATCH", path: `/${draft.id}`, version: 1, body: { answers: ANSWERS, step: 4 } });
    expect(updated.status).toBe(200);
    expect(await json(updated)).toMatchObject({ complete: true, step: 4, version: 2 });
  });

  it("refuses a stale or missing If-Match, so two people on one link do not overwrite each other", async () => {
    const draft = await json(await drafts({ method: "POST", body: { answers: {} } }));
    const save = (zeroTrust: boolean) => drafts({ method: "PATCH", path: `/${draft.id}`, version: 1, body: { answers: { zeroTrust } } });
    const [a, b] = await Promise.all([save(true), save(false)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((await json(a.status === 409 ? a : b)).currentVersion).toBe(2);
    expect((await drafts({ method: "PATCH", path: `/${draft.id}`, body: { answers: {} } })).status).toBe(428);
  });

  it("validates partial answers with the same schema: bad values and unknown factors are 422", async () => {
    const res = await drafts({ method: "POST", body: { answers: { zeroTrust: "maybe", cloud: "aws" }, step: 2 } });
    expect(res.status).toBe(422);
    expect((await json(res)).errors.map((e: { path: string }) => e.path).sort()).toEqual(["body.answers.cloud", "body.answers.zeroTrust"]);
  });

  it("answers 404 for an unknown id, a malformed id (422), and an anonymous draft idle for over 30 days", async () => {
    expect((await drafts({ method: "GET", path: "/6f1d4c1e-0000-4000-8000-000000000000" })).status).toBe(404);
    expect((await drafts({ method: "GET", path: "/not-a-uuid" })).status).toBe(422);
    const old = await json(await drafts({ method: "POST", body: { answers: {} } }));
    await db.$executeRaw`UPDATE architecture_drafts SET updated_at = now() - interval '31 days' WHERE id = ${old.id}::uuid`;
    expect((await drafts({ method: "GET", path: `/${old.id}` })).status).toBe(404);
    // The next write sweeps it away.
    await drafts({ method: "POST", body: { answers: {} } });
    expect(await db.architectureDraft.count({ where: { id: old.id } })).toBe(0);
  });

  it("lists a signed-in user's own drafts to them only", async () => {
    const mine = await json(await drafts({ method: "POST", cookie: alice, body: { answers: { zeroTrust: true } } }));
    expect(mine.owned).toBe(true);
    const aliceList = await json(await drafts({ method: "GET", cookie: alice }));
    expect(aliceList.items.map((d: { id: string }) => d.id)).toContain(mine.id);
    const bobList = await json(await drafts({ method: "GET", cookie: bob }));
    expect(bobList.items.map((d: { id: string }) => d.id)).not.toContain(mine.id);
    expect((await drafts({ method: "GET" })).status).toBe(401);
  });

  it("throttles anonymous draft writes per IP, but not signed-in users", async () => {
    const ip = freshIp();
    await db.rateLimitBucket.create({ data: { key: `architecture-draftWrite:ip:${ip}`, windowStart: new Date(), count: THROTTLES.draftWrite.limit } });
    const refused = await drafts({ method: "POST", ip, body: { answers: {} } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).not.toBeNull();
    expect((await drafts({ method: "POST", ip, cookie: alice, body: { answers: {} } })).status).toBe(201);
  });
});
