// Architecture decision records on real PostgreSQL: proposing, team scoping, accepting
// (four eyes, If-Match, one winner of two), supersession, the effective architecture
// an accepted record gives an application, and the Markdown export.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createApplication, createTeam, createUser } from "@/prisma/factories";
import { callApi, json } from "../../helpers/call-api";
import { sessionCookieFor } from "../../helpers/sign-in-as";

// A retailer's mixed estate: Rampart recommends A.
const MIXED = {
  classicWorkloads: true,
  kubernetesWorkloads: "some",
  kubernetesKnowHow: "medium",
  perimeterRequired: true,
  zeroTrust: true,
  sharedResponsibility: true,
  changeFrequency: "moderate",
  bundleWithApplication: false,
};
// Everything on Kubernetes, DevSecOps: Rampart recommends B.
const CLOUD_NATIVE = {
  classicWorkloads: false,
  kubernetesWorkloads: "most",
  kubernetesKnowHow: "high",
  perimeterRequired: false,
  zeroTrust: true,
  sharedResponsibility: true,
  changeFrequency: "frequent",
  bundleWithApplication: true,
};

let payments: { id: string };
let storefront: { id: string };
const cookies = {} as Record<"lead" | "storefrontLead" | "developer" | "officer" | "officer2" | "auditor" | "admin", string>;
let leadId: string;
let officerId: string;

beforeAll(async () => {
  payments = await createTeam(db, { slug: "payments", name: "Payments" });
  storefront = await createTeam(db, { slug: "storefront", name: "Storefront" });
  const user = async (teamId: string, role: string, name?: string) => (await createUser(db, { name, memberships: [{ teamId, role }] })).id;
  leadId = await user(payments.id, "project-lead", "Pat Lead");
  officerId = await user(payments.id, "security-officer", "Sam Officer");
  cookies.lead = await sessionCookieFor(leadId);
  cookies.officer = await sessionCookieFor(officerId);
  cookies.officer2 = await sessionCookieFor(await user(storefront.id, "security-officer", "Kim Officer"));
  cookies.storefrontLead = await sessionCookieFor(await user(storefront.id, "project-lead"));
  cookies.developer = await sessionCookieFor(await user(payments.id, "developer"));
  cookies.auditor = await sessionCookieFor(await user(storefront.id, "auditor"));
  cookies.admin = await sessionCookieFor(await user(payments.id, "admin"));
});

const app = (teamId = payments.id, name?: string) => createApplication(db, { teamId, name });

function propose(cookie: string, body: Record<string, unknown>) {
  return callApi({ method: "POST", path: "/api/v1/architecture/decisions", cookie, body: { teamId: payments.id, answers: MIXED, ...body } });
}
async function proposed(body: Record<string, unknown>, cookie = cookies.lead) {
  const res = await propose(cookie, body);
  expect(res.status, await res.clone().text()).toBe(201);
  return json(res);
}
function accept(cookie: string, id: string, version = 1) {
  return callApi({ method: "POST", path: `/api/v1/architecture/decisions/${id}/accept`, cookie, headers: { "if-match": `"${version}"` } });
}
async function accepted(body: Record<string, unknown>) {
  const record = await proposed(body);
  const res = await accept(cookies.officer2, record.id);
  expect(res.status, await res.clone().text()).toBe(200);
  return json(res);
}
const effective = async (applicationId: string, cookie = cookies.developer) =>
  json(await callApi({ method: "GET", path: `/api/v1/architecture/applications/${applicationId}`, cookie }));

describe("proposing a decision record", () => {
  it("records context, decision, consequences and alternatives, and audits it in the same transaction", async () => {
    const checkout = await app(payments.id, "Checkout");
    const before = await db.auditEvent.count({ where: { outcome: "success" } });
    const res = await propose(cookies.lead, { applicationIds: [checkout.id], context: "The shop moves to Kubernetes this year." });
    expect(res.status).toBe(201);
    expect(res.headers.get("etag")).toBe('"1"');
    const record = await json(res);
    expect(record).toMatchObject({
      status: "proposed",
      architecture: "A",
      recommended: "A",
      title: "Protect Checkout with architecture A: Gateway with Microgateways",
      team: { id: payments.id, name: "Payments" },
      applications: [{ id: checkout.id, name: "Checkout" }],
      answers: MIXED,
      context: "The shop moves to Kubernetes this year.",
      author: { id: leadId, name: "Pat Lead" },
      acceptedAt: null,
      supersedes: null,
      supersededBy: null,
      version: 1,
    });
    expect(record.reference).toMatch(/^ADR-\d{4}$/);
    expect(record.evaluation.scores).toEqual({ A: 13, B: -2, C: 2 });
    expect(record.consequences.length).toBeGreaterThan(3);
    expect(record.alternatives.map((a: { architecture: string }) => a.architecture)).toEqual(["B", "C"]);
    expect(record.alternatives[0].whyNot).toMatch(/^Ruled out\./);

    const event = await db.auditEvent.findFirstOrThrow({ where: { targetId: record.id, action: "architecture-decision.propose" } });
    expect(event).toMatchObject({ teamId: payments.id, actorId: leadId });
    expect(event.summary).toMatchObject({ after: { status: "proposed", architecture: "A" }, applications: [checkout.id], recommended: "A" });
    expect(await db.auditEvent.count({ where: { outcome: "success" } })).toBe(before + 1);
  });

  it("lets the team decide against the recommendation only with a rationale", async () => {
    const a = await app();
    const refused = await propose(cookies.lead, { applicationIds: [a.id], architecture: "C" });
    expect(refused.status).toBe(422);
    expect((await json(refused)).errors[0]).toMatchObject({ path: "body.rationale" });
    const record = await proposed({
      applicationIds: [a.id],
      architecture: "C",
      rationale: "The ERP backends are decommissioned in Q1; one gateway until then.",
    });
    expect(record).toMatchObject({ architecture: "C", recommended: "A" });
    expect(record.alternatives.find((x: { architecture: string }) => x.architecture === "A").whyNot).toContain("but the team decided otherwise");
  });

  it.each([
    ["a developer", () => cookies.developer, 403],
    ["an auditor", () => cookies.auditor, 403],
    ["an administrator", () => cookies.admin, 403],
    ["a project lead of another team", () => cookies.storefrontLead, 403],
    ["an anonymous caller", () => "", 401],
  ])("refuses %s", async (_who, cookie, status) => {
    const a = await app();
    const before = await db.architectureDecision.count();
    const res = await propose(cookie(), { applicationIds: [a.id] });
    expect(res.status).toBe(status);
    expect(await db.architectureDecision.count()).toBe(before);
  });

  it("audits a refused proposal as denied", async () => {
    await propose(cookies.developer, {});
    const denied = await db.auditEvent.findFirst({ where: { outcome: "denied", action: "api.createArchitectureDecision" } });
    expect(denied).not.toBeNull();
  });

  it("refuses applications of another team, archived ones and unknown teams, naming the field", async () => {
    const foreign = await app(storefront.id);
    const archived = await createApplication(db, { teamId: payments.id });
    await db.application.update({ where: { id: archived.id }, data: { archivedAt: new Date() } });
    const ok = await app();
    const res = await propose(cookies.lead, { applicationIds: [ok.id, foreign.id, archived.id] });
    expect(res.status).toBe(422);
    expect((await json(res)).errors).toEqual([
      { path: "body.applicationIds.1", message: "is not an application of this team" },
      { path: "body.applicationIds.2", message: expect.stringContaining("is archived") },
    ]);
    const unknownTeam = await propose(cookies.officer, { teamId: "6f1d4c1e-0000-4000-8000-000000000000" });
    expect(unknownTeam.status).toBe(422);
    expect((await json(unknownTeam)).errors[0].path).toBe("body.teamId");
  });

  it("lets a security officer propose for any team", async () => {
    const shop = await app(storefront.id);
    const record = await proposed({ teamId: storefront.id, applicationIds: [shop.id], answers: CLOUD_NATIVE }, cookies.officer);
    expect(record).toMatchObject({ architecture: "B", team: { id: storefront.id } });
  });
});

describe("reading decision records", () => {
  it("hides another team's records: list excludes them, read and export are 404", async () => {
    const record = await proposed({ applicationIds: [(await app()).id] });
    const list = await json(await callApi({ method: "GET", path: "/api/v1/architecture/decisions?pageSize=100", cookie: cookies.storefrontLead }));
    expect(list.items.every((d: { team: { id: string } }) => d.team.id === storefront.id)).toBe(true);
    for (const path of [`/api/v1/architecture/decisions/${record.id}`, `/api/v1/architecture/decisions/${record.id}/markdown`]) {
      const res = await callApi({ method: "GET", path, cookie: cookies.storefrontLead });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    // Organisation-wide readers see it; so do developers of the team.
    expect((await callApi({ method: "GET", path: `/api/v1/architecture/decisions/${record.id}`, cookie: cookies.auditor })).status).toBe(200);
    expect((await callApi({ method: "GET", path: `/api/v1/architecture/decisions/${record.id}`, cookie: cookies.developer })).status).toBe(200);
  });

  it("filters by application and status", async () => {
    const a = await app();
    const record = await proposed({ applicationIds: [a.id] });
    const page = await json(
      await callApi({ method: "GET", path: `/api/v1/architecture/decisions?applicationId=${a.id}&status=proposed`, cookie: cookies.auditor }),
    );
    expect(page.items.map((d: { id: string }) => d.id)).toEqual([record.id]);
    const none = await json(
      await callApi({ method: "GET", path: `/api/v1/architecture/decisions?applicationId=${a.id}&status=accepted`, cookie: cookies.auditor }),
    );
    expect(none.total).toBe(0);
  });
});

describe("accepting a decision record", () => {
  it("makes it the architecture in force for its applications, and audits the acceptance", async () => {
    const a = await app();
    expect(await effective(a.id)).toMatchObject({
      architecture: null,
      source: null,
      deliveryTargets: [],
      editing: { fineGrained: ["project-lead", "developer"] },
    });
    const record = await proposed({ applicationIds: [a.id] });
    expect((await effective(a.id)).pending.map((p: { id: string }) => p.id)).toContain(record.id);

    const res = await accept(cookies.officer2, record.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe('"2"');
    const body = await json(res);
    expect(body).toMatchObject({ status: "accepted", acceptedBy: { name: "Kim Officer" }, version: 2 });
    expect(body.acceptedAt).not.toBeNull();

    expect(await effective(a.id)).toMatchObject({
      architecture: "A",
      source: "application",
      decision: { id: record.id, reference: record.reference },
      pending: [],
      baselineEnforcement: { where: "gateway" },
      editing: { baseline: ["security-officer"], fineGrained: ["project-lead", "developer"], fineGrainedApprovedBy: ["security-officer"] },
      deliveryTargets: ["gateway", "microgateway"],
    });
    const event = await db.auditEvent.findFirstOrThrow({ where: { targetId: record.id, action: "architecture-decision.accept" } });
    expect(event.summary).toMatchObject({ before: { status: "proposed" }, after: { status: "accepted", version: 2 } });
  });

  it("refuses the project lead (403), the author even as a security officer (403), and anonymous callers (401)", async () => {
    const record = await proposed({ applicationIds: [(await app()).id] });
    expect((await accept(cookies.lead, record.id)).status).toBe(403);
    expect((await accept("", record.id)).status).toBe(401);
    const own = await proposed({ applicationIds: [(await app()).id] }, cookies.officer);
    const res = await accept(cookies.officer, own.id);
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({ code: "FORBIDDEN", reason: "own-proposal" });
    expect((await db.architectureDecision.findUniqueOrThrow({ where: { id: own.id } })).status).toBe("proposed");
    expect(await db.auditEvent.count({ where: { action: "api.acceptArchitectureDecision", outcome: "denied" } })).toBeGreaterThanOrEqual(2);
  });

  it("requires If-Match (428) and refuses a stale version (409)", async () => {
    const record = await proposed({ applicationIds: [(await app()).id] });
    const missing = await callApi({ method: "POST", path: `/api/v1/architecture/decisions/${record.id}/accept`, cookie: cookies.officer2 });
    expect(missing.status).toBe(428);
    expect((await accept(cookies.officer2, record.id, 7)).status).toBe(409);
    expect((await accept(cookies.officer2, record.id, 1)).status).toBe(200);
    const again = await accept(cookies.officer, record.id, 2);
    expect(again.status).toBe(409);
    expect((await json(again)).detail).toContain("already accepted");
  });

  it("lets exactly one of two simultaneous accepts of the same record win; the other gets 409", async () => {
    const record = await proposed({ applicationIds: [(await app()).id] });
    const results = await Promise.all([accept(cookies.officer, record.id), accept(cookies.officer2, record.id)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const stored = await db.architectureDecision.findUniqueOrThrow({ where: { id: record.id } });
    expect(stored).toMatchObject({ status: "accepted", version: 2 });
    expect(await db.auditEvent.count({ where: { targetId: record.id, action: "architecture-decision.accept" } })).toBe(1);
  });

  it("never lets two records for the same application be accepted, even when accepted at the same moment", async () => {
    const a = await app();
    const first = await proposed({ applicationIds: [a.id] });
    const second = await proposed({ applicationIds: [a.id], answers: CLOUD_NATIVE, architecture: "B" });
    const results = await Promise.all([accept(cookies.officer, first.id), accept(cookies.officer2, second.id)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect((await json(loser)).detail).toMatch(/is already the accepted decision for .*Revisit/);
    expect(await db.architectureDecision.count({ where: { status: "accepted", applications: { some: { applicationId: a.id } } } })).toBe(1);
    // And once one is in force, a new unrelated proposal for the application is refused up front.
    const third = await propose(cookies.lead, { applicationIds: [a.id] });
    expect(third.status).toBe(409);
  });

  it("keeps status and its timestamps consistent in the database itself", async () => {
    const record = await proposed({ applicationIds: [(await app()).id] });
    await expect(db.$executeRaw`UPDATE architecture_decisions SET status = 'accepted' WHERE id = ${record.id}::uuid`).rejects.toThrow(
      /architecture_decisions_status_check/,
    );
  });
});

describe("revisiting: a new record supersedes the old one", () => {
  it("keeps the old decision in force until the revision is accepted, then supersedes it", async () => {
    const a = await app();
    const original = await accepted({ applicationIds: [a.id] });
    const revision = await proposed({ applicationIds: [a.id], answers: CLOUD_NATIVE, supersedesId: original.id });
    expect(revision).toMatchObject({ status: "proposed", architecture: "B", supersedes: { id: original.id, reference: original.reference } });
    expect((await effective(a.id)).architecture).toBe("A");

    const res = await accept(cookies.officer2, revision.id);
    expect(res.status).toBe(200);
    expect(await effective(a.id)).toMatchObject({ architecture: "B", decision: { id: revision.id }, baselineEnforcement: { where: "microgateways" } });
    expect((await effective(a.id)).deliveryTargets).toEqual(["microgateway", "cluster"]);

    const old = await json(await callApi({ method: "GET", path: `/api/v1/architecture/decisions/${original.id}`, cookie: cookies.developer }));
    expect(old).toMatchObject({ status: "superseded", supersededBy: { id: revision.id, reference: revision.reference }, version: 3 });
    expect(old.supersededAt).not.toBeNull();
    const event = await db.auditEvent.findFirstOrThrow({ where: { targetId: original.id, action: "architecture-decision.supersede" } });
    expect(event.summary).toMatchObject({ after: { status: "superseded" }, supersededBy: revision.reference });
  });

  it("only revisits the decision in force: a proposed or superseded record cannot be revisited", async () => {
    const a = await app();
    const draft = await proposed({ applicationIds: [a.id] });
    const res = await propose(cookies.lead, { applicationIds: [a.id], supersedesId: draft.id });
    expect(res.status).toBe(409);
    expect((await json(res)).detail).toContain("only the accepted decision can be revisited");

    const foreign = await proposed({ teamId: storefront.id, applicationIds: [(await app(storefront.id)).id] }, cookies.officer);
    const crossTeam = await propose(cookies.lead, { applicationIds: [a.id], supersedesId: foreign.id });
    expect(crossTeam.status).toBe(422);
    expect((await json(crossTeam)).errors[0].path).toBe("body.supersedesId");
  });

  it("accepts only one of two revisions of the same record", async () => {
    const a = await app();
    const original = await accepted({ applicationIds: [a.id] });
    const r1 = await proposed({ applicationIds: [a.id], answers: CLOUD_NATIVE, supersedesId: original.id });
    const r2 = await proposed({ applicationIds: [a.id], supersedesId: original.id, context: "Second opinion." });
    expect((await accept(cookies.officer2, r1.id)).status).toBe(200);
    const late = await accept(cookies.officer2, r2.id);
    expect(late.status).toBe(409);
    expect((await json(late)).detail).toContain("no longer the accepted decision");
    expect((await db.architectureDecision.findUniqueOrThrow({ where: { id: r2.id } })).status).toBe("proposed");
    expect((await effective(a.id)).decision.id).toBe(r1.id);
  });
});

describe("team-wide decisions", () => {
  it("apply to every application of the team without a decision of its own", async () => {
    const team = await createTeam(db);
    const lead = await sessionCookieFor((await createUser(db, { memberships: [{ teamId: team.id, role: "project-lead" }] })).id);
    const plain = await app(team.id);
    const special = await app(team.id);
    const teamWide = await json(
      await callApi({ method: "POST", path: "/api/v1/architecture/decisions", cookie: lead, body: { teamId: team.id, answers: MIXED } }),
    );
    expect(teamWide.applications).toEqual([]);
    expect(teamWide.title).toContain("all applications of");
    expect((await accept(cookies.officer, teamWide.id)).status).toBe(200);

    const own = await json(
      await callApi({
        method: "POST",
        path: "/api/v1/architecture/decisions",
        cookie: lead,
        body: { teamId: team.id, applicationIds: [special.id], answers: CLOUD_NATIVE },
      }),
    );
    expect((await accept(cookies.officer, own.id)).status).toBe(200);

    expect(await effective(plain.id, cookies.auditor)).toMatchObject({ architecture: "A", source: "team", decision: { id: teamWide.id } });
    expect(await effective(special.id, cookies.auditor)).toMatchObject({ architecture: "B", source: "application", decision: { id: own.id } });

    // A second team-wide record without revisiting the first is refused.
    const second = await callApi({ method: "POST", path: "/api/v1/architecture/decisions", cookie: lead, body: { teamId: team.id, answers: CLOUD_NATIVE } });
    expect(second.status).toBe(409);
  });

  it("scopes the effective architecture like the application: another team's is 404", async () => {
    const a = await app();
    expect((await callApi({ method: "GET", path: `/api/v1/architecture/applications/${a.id}`, cookie: cookies.storefrontLead })).status).toBe(404);
  });
});

describe("Markdown export", () => {
  it("serves the record as an ADR file with text/markdown", async () => {
    const a = await app(payments.id, "Ledger API");
    const record = await accepted({ applicationIds: [a.id], context: "Audit findings ask for zero trust." });
    const res = await callApi({ method: "GET", path: `/api/v1/architecture/decisions/${record.id}/markdown`, cookie: cookies.developer });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    const slug = record.reference.toLowerCase();
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${slug}-protect-ledger-api-with-architecture-a-gateway-with.md"`);
    const markdown = await res.text();
    expect(markdown.startsWith(`# ${record.reference}: Protect Ledger API with architecture A`)).toBe(true);
    expect(markdown).toContain("- Status: Accepted on");
    expect(markdown).toContain("by Kim Officer");
    expect(markdown).toContain("Audit findings ask for zero trust.");
    for (const heading of ["## Context", "## Decision", "## Consequences", "## Alternatives considered"]) expect(markdown).toContain(heading);
  });
});
