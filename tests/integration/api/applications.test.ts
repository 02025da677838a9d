import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createApplication, createTeam, createUser } from "@/prisma/factories";
import { callApi, json, type ApiCall } from "../../helpers/call-api";
import { sessionCookieFor } from "../../helpers/sign-in-as";

let payments: { id: string };
let storefront: { id: string };
let lead: string;
let devStorefront: string;
let securityOfficer: string;

beforeAll(async () => {
  payments = await createTeam(db, { slug: "payments" });
  storefront = await createTeam(db, { slug: "storefront" });
  lead = await sessionCookieFor((await createUser(db, { memberships: [{ teamId: payments.id, role: "project-lead" }] })).id);
  devStorefront = await sessionCookieFor((await createUser(db, { memberships: [{ teamId: storefront.id, role: "developer" }] })).id);
  securityOfficer = await sessionCookieFor((await createUser(db, { memberships: [{ teamId: payments.id, role: "security-officer" }] })).id);
});

const validBody = () => ({
  teamId: payments.id,
  slug: `app-${Math.random().toString(36).slice(2, 8)}`,
  name: "Payments API",
  exposure: "internet",
  upstreamUrl: "http://127.0.0.1:9000",
});

async function counts() {
  return { apps: await db.application.count(), audit: await db.auditEvent.count({ where: { outcome: "success" } }) };
}

describe("creating applications", () => {
  it("creates, returns 201 with an ETag, and audits in the same transaction", async () => {
    const before = await counts();
    const res = await callApi({ method: "POST", path: "/api/v1/applications", cookie: lead, body: validBody() });
    expect(res.status).toBe(201);
    expect(res.headers.get("etag")).toBe('"1"');
    const app = await json(res);
    expect(app).toMatchObject({ name: "Payments API", exposure: "internet", version: 1, team: { id: payments.id } });
    const event = await db.auditEvent.findFirstOrThrow({ where: { targetId: app.id, action: "application.create" } });
    expect(event.teamId).toBe(payments.id);
    expect(event.summary).toMatchObject({ after: { name: "Payments API" } });
    expect(await counts()).toEqual({ apps: before.apps + 1, audit: before.audit + 1 });
  });

  const invalid: [string, () => Partial<ApiCall>, number, string | undefined][] = [
    ["malformed JSON", () => ({ rawBody: '{"name": ', headers: { "content-type": "application/json" } }), 400, undefined],
    ["a wrong type", () => ({ body: { ...validBody(), exposure: 42 } }), 422, "body.exposure"],
    ["an unknown field", () => ({ body: { ...validBody(), owner: "me" } }), 422, "body.owner"],
    ["a missing field", () => ({ body: { ...validBody(), name: undefined } }), 422, "body.name"],
    ["a bad upstream URL", () => ({ body: { ...validBody(), upstreamUrl: "ftp://x" } }), 422, "body.upstreamUrl"],
    ["a non-JSON content type", () => ({ rawBody: "name=x", headers: { "content-type": "application/x-www-form-urlencoded" } }), 415, undefined],
    ["an oversized body", () => ({ body: { ...validBody(), description: "x".repeat(1024 * 1024 + 10) } }), 413, undefined],
  ];
  it.each(invalid)("refuses %s with problem+json and writes nothing", async (_name, call, status, path) => {
    const before = await counts();
    const res = await callApi({ method: "POST", path: "/api/v1/applications", cookie: lead, ...call() });
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = await json(res);
    expect(problem.status).toBe(status);
    expect(typeof problem.code).toBe("string");
    if (path) expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await counts()).toEqual(before);
  });

  it("refuses a duplicate slug with 409 naming the field", async () => {
    const body = validBody();
    expect((await callApi({ method: "POST", path: "/api/v1/applications", cookie: lead, body })).status).toBe(201);
    const res = await callApi({ method: "POST", path: "/api/v1/applications", cookie: lead, body });
    expect(res.status).toBe(409);
    expect((await json(res)).errors[0].path).toBe("body.slug");
  });

  it("does not let a project lead register an application for another team", async () => {
    const res = await callApi({ method: "POST", path: "/api/v1/applications", cookie: lead, body: { ...validBody(), teamId: storefront.id } });
    expect(res.status).toBe(403);
    const denied = await db.auditEvent.findFirst({ where: { outcome: "denied", action: "api.createApplication" }, orderBy: { createdAt: "desc" } });
    expect(denied).not.toBeNull();
  });
});

describe("team scoping", () => {
  it("hides other teams' applications: list excludes them, read is 404", async () => {
    const app = await createApplication(db, { teamId: payments.id });
    const list = await json(await callApi({ method: "GET", path: "/api/v1/applications?archived=all&pageSize=100", cookie: devStorefront }));
    expect(list.items.every((a: { teamId: string }) => a.teamId === storefront.id)).toBe(true);
    const res = await callApi({ method: "GET", path: `/api/v1/applications/${app.id}`, cookie: devStorefront });
    expect(res.status).toBe(404);
    // the organisation-wide security officer sees it
    expect((await callApi({ method: "GET", path: `/api/v1/applications/${app.id}`, cookie: securityOfficer })).status).toBe(200);
  });

  it("paginates and filters", async () => {
    const team = await createTeam(db, { slug: "many-apps" });
    for (let i = 0; i < 5; i++) await createApplication(db, { teamId: team.id, name: `Svc ${i}`, exposure: i % 2 ? "internal" : "internet" });
    const page = await json(await callApi({ method: "GET", path: `/api/v1/applications?teamId=${team.id}&pageSize=2&page=2`, cookie: securityOfficer }));
    expect(page).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(page.items).toHaveLength(2);
    const internal = await json(await callApi({ method: "GET", path: `/api/v1/applications?teamId=${team.id}&exposure=internal`, cookie: securityOfficer }));
    expect(internal.total).toBe(2);
    const bad = await callApi({ method: "GET", path: "/api/v1/applications?pageSize=1000", cookie: securityOfficer });
    expect(bad.status).toBe(422);
    expect((await json(bad)).errors[0].path).toBe("query.pageSize");
  });
});

describe("concurrent edits", () => {
  it("lets exactly one of two edits from the same version win; the other gets 409", async () => {
    const app = await createApplication(db, { teamId: payments.id });
    const edit = (name: string) =>
      callApi({ method: "PATCH", path: `/api/v1/applications/${app.id}`, cookie: lead, body: { name }, headers: { "if-match": '"1"' } });
    const [a, b] = await Promise.all([edit("Alpha"), edit("Beta")]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect((await json(loser)).currentVersion).toBe(2);
    const stored = await db.application.findUniqueOrThrow({ where: { id: app.id } });
    expect(stored.version).toBe(2);
    expect(["Alpha", "Beta"]).toContain(stored.name);
    expect(await db.auditEvent.count({ where: { targetId: app.id, action: "application.update" } })).toBe(1);
  });

  it("requires If-Match (428) and rejects a malformed one (400)", async () => {
    const app = await createApplication(db, { teamId: payments.id });
    const missing = await callApi({ method: "PATCH", path: `/api/v1/applications/${app.id}`, cookie: lead, body: { name: "X" } });
    expect(missing.status).toBe(428);
    const malformed = await callApi({
      method: "PATCH",
      path: `/api/v1/applications/${app.id}`,
      cookie: lead,
      body: { name: "X" },
      headers: { "if-match": "abc" },
    });
    expect(malformed.status).toBe(400);
  });

  it("records before and after on update and refuses edits once archived", async () => {
    const app = await createApplication(db, { teamId: payments.id, name: "Old" });
    const upd = await callApi({ method: "PATCH", path: `/api/v1/applications/${app.id}`, cookie: lead, body: { name: "New" }, headers: { "if-match": '"1"' } });
    expect(upd.status).toBe(200);
    const event = await db.auditEvent.findFirstOrThrow({ where: { targetId: app.id, action: "application.update" } });
    expect(event.summary).toMatchObject({ before: { name: "Old" }, after: { name: "New" } });
    const arch = await callApi({ method: "POST", path: `/api/v1/applications/${app.id}/archive`, cookie: lead, headers: { "if-match": '"2"' } });
    expect(arch.status).toBe(200);
    expect((await json(arch)).archivedAt).not.toBeNull();
    const again = await callApi({ method: "PATCH", path: `/api/v1/applications/${app.id}`, cookie: lead, body: { name: "Z" }, headers: { "if-match": '"3"' } });
    expect(again.status).toBe(409);
  });
});
