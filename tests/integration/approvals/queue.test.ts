// The approval queue on real PostgreSQL: what it lists (submitted versions across teams,
// with summary, diff against the version in force, risk flags and impact), its filters,
// sorting and pages, who may read it, the notifications a submission sends, and approval
// refused once the baseline changed under a submission.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { applicationDocument, baselineDocument, createPolicyFixture } from "../policies/policy-fixtures";
import { api, call, createCast, paymentsApp, publish, transitionBody, type Cast } from "../policies/policy-test-kit";

let cast: Cast;
let baselineId: string;

const SEARCH_EXCEPTION = {
  id: "search-free-text",
  family: "sqli",
  part: "parameter",
  name: "q",
  conditions: { paths: ["/search"], methods: ["GET"] },
  justification: "Needed for the search box.",
  expires: new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10),
};

beforeAll(async () => {
  cast = await createCast();
  const baseline = await api.createPolicy(cast.cookies.officer, baselineDocument());
  baselineId = baseline.body.id;
  await publish(cast, baselineId, { id: baseline.body.draft.id, version: 1 });
});

const queue = (cookie: string, query = "") => call({ method: "GET", path: `/api/v1/approvals${query}`, cookie });

/** A published application policy with a submitted next version authored by `author`. */
async function pendingChange(
  author: "lead" | "developer" | "storefrontDeveloper",
  next: Record<string, unknown>,
  options: { teamId?: string; exposure?: "internet" | "internal" } = {},
) {
  const app = await paymentsApp(cast, options);
  const created = await api.createPolicy(cast.cookies[author], applicationDocument(app.slug, { limits: { maxBodyBytes: 4096 } }));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await publish(cast, created.body.id, { id: created.body.draft.id, version: 1 }, cast.cookies[author]);
  const draft = await api.newDraft(cast.cookies[author], created.body.id);
  const edited = await api.updateDraft(cast.cookies[author], created.body.id, draft.body.id, draft.body.version, applicationDocument(app.slug, next));
  expect(edited.status, JSON.stringify(edited.body)).toBe(200);
  const submitted = await api.transition(cast.cookies[author], created.body.id, draft.body.id, "submit", edited.body.version, {
    summary: `Change by ${author}`,
  });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
  return { app, policyId: created.body.id as string, version: submitted.body as { id: string; version: number } };
}

describe("the approval queue", () => {
  let risky: Awaited<ReturnType<typeof pendingChange>>;
  let plain: Awaited<ReturnType<typeof pendingChange>>;
  let storefront: Awaited<ReturnType<typeof pendingChange>>;

  beforeAll(async () => {
    risky = await pendingChange("lead", { limits: { maxBodyBytes: 4096 }, exceptions: [SEARCH_EXCEPTION] });
    plain = await pendingChange("developer", { limits: { maxBodyBytes: 2048 } });
    storefront = await pendingChange("storefrontDeveloper", { limits: { maxBodyBytes: 1024 } }, { teamId: cast.storefront.id });
  });

  it("lists every submitted change across teams with summary, diff against the version in force, and risk flags", async () => {
    const page = await queue(cast.cookies.officer);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body.total).toBe(3);
    const entry = page.body.items.find((e: { versionId: string }) => e.versionId === risky.version.id);
    expect(entry).toMatchObject({
      number: 2,
      version: risky.version.version,
      submissionSummary: "Change by lead",
      author: { id: cast.ids.lead },
      application: { id: risky.app.id, team: { id: cast.payments.id } },
      diff: { against: { number: 1 }, loosens: expect.any(Number) },
      impact: { validates: true, baselineChangedSinceSubmission: false },
    });
    expect(entry.diff.changes).toContainEqual(
      expect.objectContaining({ kind: "added", risk: "loosens", text: expect.stringMatching(/^adds an exception for sqli/) }),
    );
    const codes = entry.riskFlags.map((f: { code: string }) => f.code);
    expect(codes).toEqual(["exception-added", "exception-weak-justification", "exception-long-expiry"]);
    expect(entry.riskFlags.find((f: { code: string }) => f.code === "exception-added")).toMatchObject({ family: "sqli", part: "parameter" });
  });

  it("filters by team, application, kind, risk, author and age", async () => {
    const ids = async (query: string) => (await queue(cast.cookies.officer, query)).body.items.map((e: { versionId: string }) => e.versionId).sort();
    expect(await ids(`?teamId=${cast.storefront.id}`)).toEqual([storefront.version.id]);
    expect(await ids(`?applicationId=${plain.app.id}`)).toEqual([plain.version.id]);
    expect(await ids("?kind=baseline")).toEqual([]);
    expect(await ids("?kind=application")).toHaveLength(3);
    expect(await ids("?risk=exception-long-expiry")).toEqual([risky.version.id]);
    expect(await ids("?risk=deny-log-only")).toEqual([]);
    expect(await ids("?risk=any")).toEqual([risky.version.id]);
    expect(await ids("?risk=none")).toEqual([plain.version.id, storefront.version.id].sort());
    expect(await ids(`?authorId=${cast.ids.developer}`)).toEqual([plain.version.id]);
    expect(await ids("?olderThanDays=1")).toEqual([]);
    expect(await ids("?newerThanDays=1")).toHaveLength(3);
  });

  it("sorts and paginates on the server", async () => {
    const oldest = await queue(cast.cookies.officer, "?pageSize=2");
    expect(oldest.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(oldest.body.items.map((e: { versionId: string }) => e.versionId)).toEqual([risky.version.id, plain.version.id]);
    const second = await queue(cast.cookies.officer, "?pageSize=2&page=2");
    expect(second.body.items.map((e: { versionId: string }) => e.versionId)).toEqual([storefront.version.id]);
    const riskiest = await queue(cast.cookies.officer, "?sort=risk&pageSize=1");
    expect(riskiest.body.items[0].versionId).toBe(risky.version.id);
    const newest = await queue(cast.cookies.officer, "?sort=newest&pageSize=1");
    expect(newest.body.items[0].versionId).toBe(storefront.version.id);
    const invalid = await queue(cast.cookies.officer, "?sort=sideways");
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors[0].path).toBe("query.sort");
  });

  it("is for security officers only", async () => {
    for (const person of ["lead", "developer", "auditor", "admin"] as const) {
      expect((await queue(cast.cookies[person])).status, person).toBe(403);
    }
  });

  it("tells security officers of new submissions, and nobody of their own", async () => {
    const count = async (person: "officer" | "officer2" | "lead") =>
      (await call({ method: "GET", path: "/api/v1/notifications/unread-count", cookie: cast.cookies[person] })).body.unread;
    const before = await count("officer2");
    const app = await paymentsApp(cast);
    const created = await api.createPolicy(cast.cookies.lead, applicationDocument(app.slug, { limits: { maxBodyBytes: 512 } }));
    const submitted = await api.transition(cast.cookies.lead, created.body.id, created.body.draft.id, "submit", 1, transitionBody("submit"));
    const version = submitted.body as { id: string; version: number };
    expect(await count("officer2")).toBe(before + 1);
    const list = await call({ method: "GET", path: "/api/v1/notifications", cookie: cast.cookies.officer2 });
    expect(list.body.items[0]).toMatchObject({ kind: "policy.version.submit", link: expect.stringContaining("/approvals") });
    const read = await call({ method: "POST", path: "/api/v1/notifications/read", cookie: cast.cookies.officer2, body: {} });
    expect(read.body.unread).toBe(0);
    // The lead is told of the approval of their change; the approving officer of nothing.
    const leadBefore = await count("lead");
    await call({
      method: "POST",
      path: `/api/v1/approvals/${version.id}/approve`,
      cookie: cast.cookies.officer2,
      headers: { "if-match": `"${version.version}"` },
      body: { note: "Fine." },
    });
    expect(await count("lead")).toBe(leadBefore + 1);
    expect(await count("officer2")).toBe(0);
  });
});

describe("a baseline that changed since submission", () => {
  it("shows in the queue's impact, and a version that no longer fits cannot be approved", async () => {
    const app = await paymentsApp(cast);
    const { policy, versions } = await createPolicyFixture(db, {
      kind: "application",
      application: app,
      authorId: cast.ids.lead,
      versions: [{ state: "submitted", content: applicationDocument(app.slug, { denyRules: { xss: { level: "standard" } } }) }],
    });
    const version = versions[0]!;
    await db.policyVersion.update({ where: { id: version.id }, data: { submittedAt: new Date(Date.now() - 3 * 86_400_000) } });

    const draft = await api.newDraft(cast.cookies.officer, baselineId);
    const strict = await api.updateDraft(
      cast.cookies.officer,
      baselineId,
      draft.body.id,
      draft.body.version,
      baselineDocument({ denyRules: { xss: { level: "strict" } } }),
    );
    expect(strict.status, JSON.stringify(strict.body)).toBe(200);
    await publish(cast, baselineId, strict.body);

    const page = await queue(cast.cookies.officer, `?applicationId=${app.id}`);
    expect(page.body.items[0].impact).toMatchObject({ validates: false, baselineChangedSinceSubmission: true });
    expect(page.body.items[0].ageDays).toBe(3);

    const current = await db.policyVersion.findUniqueOrThrow({ where: { id: version.id } });
    const refused = await api.transition(cast.cookies.officer2, policy.id, version.id, "approve", current.version, transitionBody("approve"));
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/The baseline changed since version 1 was submitted/);
    expect(refused.body.errors[0].path).toMatch(/^content\.denyRules\.xss/);
    expect(await db.auditEvent.count({ where: { targetId: version.id, action: "policy.version.approve", outcome: "denied" } })).toBe(1);
    // Rejecting it stays possible.
    const rejected = await api.transition(cast.cookies.officer2, policy.id, version.id, "reject", current.version, transitionBody("reject"));
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
  });
});
