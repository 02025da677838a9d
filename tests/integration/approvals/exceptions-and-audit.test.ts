// The exceptions register (who asked, who approved, justification, expiry; expiring and
// expired filters; team scope) and the audit trail's CSV export, on real PostgreSQL.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { applicationDocument, createPolicyFixture, dayFrom, searchException } from "../policies/policy-fixtures";
import { call, callApi, createCast, paymentsApp, type Cast } from "../policies/policy-test-kit";

let cast: Cast;

const day = (offset: number) => dayFrom(offset);
const exception = searchException;

let appId: string;

beforeAll(async () => {
  cast = await createCast();
  const app = await paymentsApp(cast);
  appId = app.id;
  const longLived = exception("search", day(120));
  await createPolicyFixture(db, {
    kind: "application",
    application: app,
    authorId: cast.ids.lead,
    officerId: cast.ids.officer,
    versions: [
      { state: "superseded", content: applicationDocument(app.slug, { exceptions: [longLived] }) },
      { state: "published", content: applicationDocument(app.slug, { exceptions: [longLived, exception("soon", day(10)), exception("gone", day(-3))] }) },
    ],
  });
});

const register = (cookie: string, query = "") => call({ method: "GET", path: `/api/v1/exceptions${query}`, cookie });

describe("the exceptions register", () => {
  it("lists each exception with who asked, who approved, justification and expiry", async () => {
    const page = await register(cast.cookies.auditor);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body.total).toBe(3);
    const search = page.body.items.find((e: { id: string }) => e.id === "search");
    expect(search).toMatchObject({
      application: { id: appId },
      versionNumber: 2,
      requestedInVersion: 1,
      family: "sqli",
      part: "parameter",
      justification: expect.stringMatching(/^Free-text search/),
      requestedBy: { id: cast.ids.lead },
      approvedBy: { id: cast.ids.officer },
      expired: false,
    });
    expect(page.body.items.find((e: { id: string }) => e.id === "soon")).toMatchObject({ requestedInVersion: 2, daysLeft: 10 });
    // The Exceptions page links each entry to the version that carries it.
    const published = await db.policy.findFirstOrThrow({ where: { applicationId: appId }, select: { publishedVersionId: true } });
    expect(search.versionId).toBe(published.publishedVersionId);
  });

  it("filters by rule family and by one rule id (a whole-family exception names no rule)", async () => {
    expect((await register(cast.cookies.officer, "?family=sqli")).body.total).toBe(3);
    expect((await register(cast.cookies.officer, "?family=xss")).body.total).toBe(0);
    const byRule = await register(cast.cookies.officer, "?ruleId=sqli.union-select");
    expect(byRule.status, JSON.stringify(byRule.body)).toBe(200);
    expect(byRule.body.total).toBe(0);
  });

  it("filters exceptions expiring within N days, and expired ones", async () => {
    const ids = async (query: string) => (await register(cast.cookies.officer, query)).body.items.map((e: { id: string }) => e.id);
    expect(await ids("?expiringWithinDays=30")).toEqual(["soon"]);
    expect(await ids("?status=expired")).toEqual(["gone"]);
    expect(await ids("?status=active")).toEqual(["soon", "search"]);
  });

  it("shows a team only its own applications' exceptions", async () => {
    expect((await register(cast.cookies.developer)).body.total).toBe(3);
    expect((await register(cast.cookies.storefrontDeveloper)).body.total).toBe(0);
  });
});

describe("the audit CSV export", () => {
  it("exports the filtered trail with each decision's comment, safe for spreadsheets", async () => {
    await call({
      method: "POST",
      path: `/api/v1/approvals/${crypto.randomUUID()}/approve`,
      cookie: cast.cookies.lead,
      headers: { "if-match": '"1"' },
      body: { note: "=cmd()" },
    });
    const response = await callApi({ method: "GET", path: "/api/v1/audit-events/export?outcome=denied", cookie: cast.cookies.auditor });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await response.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("createdAt,actorLabel,actorId,action,actionLabel,outcome,targetType,targetId,teamId,ip,comment,summary");
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((line) => line.includes(",denied,"))).toBe(true);
    expect(lines.some((line) => line.includes("api.approveApproval,Approve approval,denied"))).toBe(true);
  });

  it("quotes commas, quotes and formulas", async () => {
    const { csvCell } = await import("@/lib/audit/export-audit-events-csv");
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell("=SUM(A1)")).toBe("'=SUM(A1)");
    expect(csvCell("plain")).toBe("plain");
  });
});
