// Architecture C change requests on real PostgreSQL: a project team asks, security
// officers are told and decide (accept naming the version it became, or decline), with
// If-Match; elsewhere teams edit their policy themselves and a request is refused.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createAcceptedDecision } from "@/prisma/factories";
import { applicationDocument, createPolicyFixture } from "../policies/policy-fixtures";
import { call, createCast, paymentsApp, type Cast } from "../policies/policy-test-kit";

let cast: Cast;

beforeAll(async () => {
  cast = await createCast();
});

async function architectureCApp() {
  const app = await paymentsApp(cast);
  await createAcceptedDecision(db, {
    teamId: cast.payments.id,
    architecture: "C",
    authorId: cast.ids.lead,
    acceptedById: cast.ids.officer,
    applicationIds: [app.id],
  });
  return app;
}

const ask = (cookie: string, appId: string, body: unknown = { title: "Allow 20 MB uploads", rationale: "Scanned invoices are large." }) =>
  call({ method: "POST", path: `/api/v1/applications/${appId}/change-requests`, cookie, body });
const decide = (cookie: string, id: string, ifMatch: number, body: unknown) =>
  call({ method: "POST", path: `/api/v1/change-requests/${id}/decision`, cookie, headers: { "if-match": `"${ifMatch}"` }, body });

describe("change requests", () => {
  it("are filed by the team under architecture C and reach the security officers", async () => {
    const app = await architectureCApp();
    const filed = await ask(cast.cookies.developer, app.id, {
      title: "Allow 20 MB uploads",
      rationale: "Scanned invoices are large.",
      proposedContent: "limits:\n  maxBodyBytes: 20971520\n",
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect(filed.body).toMatchObject({ status: "open", author: { id: cast.ids.developer }, application: { id: app.id } });
    const notices = await call({ method: "GET", path: "/api/v1/notifications", cookie: cast.cookies.officer2 });
    expect(notices.body.items[0]).toMatchObject({ kind: "policy.change-request.create" });
    const open = await call({ method: "GET", path: "/api/v1/change-requests?status=open", cookie: cast.cookies.officer });
    expect(open.body.items.map((r: { id: string }) => r.id)).toContain(filed.body.id);
    expect((await call({ method: "GET", path: "/api/v1/change-requests", cookie: cast.cookies.storefrontDeveloper })).body.total).toBe(0);
  });

  it("are refused where the team edits its policy itself, and to other teams", async () => {
    const app = await paymentsApp(cast);
    const refused = await ask(cast.cookies.lead, app.id);
    expect(refused.status).toBe(409);
    expect(refused.body.rule).toBe("architecture-c-only");
    const cApp = await architectureCApp();
    expect((await ask(cast.cookies.storefrontDeveloper, cApp.id)).status).toBe(404);
    expect((await ask(cast.cookies.officer, cApp.id)).status).toBe(403);
  });

  it("are accepted with the version they became, once; the requester is told", async () => {
    const app = await architectureCApp();
    const filed = await ask(cast.cookies.lead, app.id);
    const { versions } = await createPolicyFixture(db, {
      kind: "application",
      application: app,
      authorId: cast.ids.officer,
      versions: [{ state: "draft", content: applicationDocument(app.slug) }],
    });
    const accepted = await decide(cast.cookies.officer, filed.body.id, filed.body.version, {
      decision: "accept",
      note: "Drafted as version 1.",
      versionId: versions[0]!.id,
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({ status: "accepted", versionId: versions[0]!.id, decidedBy: { id: cast.ids.officer } });
    const again = await decide(cast.cookies.officer2, filed.body.id, filed.body.version, { decision: "decline", note: "No." });
    expect(again.status).toBe(409);
    expect(again.body.state).toBe("accepted");
    const notices = await call({ method: "GET", path: "/api/v1/notifications", cookie: cast.cookies.lead });
    expect(notices.body.items[0]).toMatchObject({ kind: "policy.change-request.accept", body: "Drafted as version 1." });
    expect(await db.auditEvent.count({ where: { targetId: filed.body.id, action: "policy.change-request.accept" } })).toBe(1);
  });

  it("are decided by security officers only, with a note", async () => {
    const app = await architectureCApp();
    const filed = await ask(cast.cookies.lead, app.id);
    expect((await decide(cast.cookies.lead, filed.body.id, 1, { decision: "decline", note: "No." })).status).toBe(403);
    const noNote = await decide(cast.cookies.officer, filed.body.id, 1, { decision: "decline", note: " " });
    expect(noNote.status).toBe(422);
    expect(noNote.body.errors[0].path).toBe("body.note");
  });
});
