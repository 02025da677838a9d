// Deciding a submitted policy version on real PostgreSQL: four eyes, the mandatory
// comment, request changes back to draft, the baseline changing under a submission, two
// officers deciding at once, and every refusal audited as a denied attempt.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createUser } from "@/prisma/factories";
import { sessionCookieFor } from "../../helpers/sign-in-as";
import { applicationDocument, baselineDocument, createPolicyFixture } from "../policies/policy-fixtures";
import { api, call, createCast, paymentsApp, publish, transitionBody, type Cast } from "../policies/policy-test-kit";

let cast: Cast;
let baselineId: string;

beforeAll(async () => {
  cast = await createCast();
  const baseline = await api.createPolicy(cast.cookies.officer, baselineDocument());
  baselineId = baseline.body.id;
  await publish(cast, baselineId, { id: baseline.body.draft.id, version: 1 });
});

const decide = (cookie: string, versionId: string, decision: string, ifMatch: number, body: unknown = { note: "Reviewed." }) =>
  call({ method: "POST", path: `/api/v1/approvals/${versionId}/${decision}`, cookie, headers: { "if-match": `"${ifMatch}"` }, body });

/** An application policy's draft submitted by the project lead through the API. */
async function submittedByLead(sections: Record<string, unknown> = { limits: { maxBodyBytes: 4096 } }) {
  const app = await paymentsApp(cast);
  const created = await api.createPolicy(cast.cookies.lead, applicationDocument(app.slug, sections));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const submitted = await api.transition(cast.cookies.lead, created.body.id, created.body.draft.id, "submit", 1, { summary: "Limit request bodies." });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
  return { app, policyId: created.body.id as string, version: submitted.body as { id: string; version: number } };
}

async function deniedEvents(versionId: string, action: string) {
  return db.auditEvent.findMany({ where: { targetId: versionId, action, outcome: "denied" } });
}

describe("four eyes", () => {
  it("refuses an officer's approval of their own change, audited as denied, and lets another officer approve", async () => {
    const app = await paymentsApp(cast);
    const { policy, versions } = await createPolicyFixture(db, {
      kind: "application",
      application: app,
      authorId: cast.ids.officer,
      versions: [{ state: "submitted" }],
    });
    const version = versions[0]!;
    const own = await decide(cast.cookies.officer, version.id, "approve", version.version);
    expect(own.status).toBe(403);
    expect(own.body.detail).toMatch(/Four eyes: you cannot approve version 1, your own change/);
    expect(own.body.rule).toBe("four-eyes");
    expect(await db.policyVersion.findUniqueOrThrow({ where: { id: version.id } })).toMatchObject({ state: "submitted", version: version.version });
    expect(await deniedEvents(version.id, "policy.version.approve")).toHaveLength(1);
    // One row per refused action: the API layer does not record the same refusal again.
    expect(await db.auditEvent.count({ where: { actorId: cast.ids.officer, outcome: "denied", action: "api.approvePolicyVersion" } })).toBe(0);

    const other = await api.transition(cast.cookies.officer2, policy.id, version.id, "approve", version.version, { note: "Four eyes: looks right." });
    expect(other.status, JSON.stringify(other.body)).toBe(200);
    expect(other.body).toMatchObject({ state: "approved", reviewNote: "Four eyes: looks right.", reviewedBy: { id: cast.ids.officer2 } });
  });

  it("keeps everyone who edited a draft from approving it, and names them in the version history", async () => {
    // One officer writes the draft, a second edits it, the first submits: the second officer's
    // change must not pass on the second officer's say-so.
    const draft = await api.newDraft(cast.cookies.officer, baselineId);
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const edited = await api.updateDraft(
      cast.cookies.officer2,
      baselineId,
      draft.body.id,
      draft.body.version,
      baselineDocument({ limits: { maxBodyBytes: 3_000_000 } }),
    );
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const submitted = await api.transition(cast.cookies.officer, baselineId, draft.body.id, "submit", edited.body.version, transitionBody("submit"));
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);

    const byEditor = await decide(cast.cookies.officer2, draft.body.id, "approve", submitted.body.version);
    expect(byEditor.status).toBe(403);
    expect(byEditor.body.rule).toBe("four-eyes");
    expect(await deniedEvents(draft.body.id, "policy.version.approve")).toHaveLength(1);

    const writers = [cast.ids.officer, cast.ids.officer2];
    const view = await api.getVersion(cast.cookies.auditor, baselineId, draft.body.id);
    expect(view.body.editors.map((e: { id: string }) => e.id)).toEqual(writers);
    const history = await api.getPolicy(cast.cookies.auditor, baselineId);
    expect(history.body.versions.find((v: { id: string }) => v.id === draft.body.id).editors.map((e: { id: string }) => e.id)).toEqual(writers);
    const third = await createUser(db, { name: "Tess Third", memberships: [{ teamId: cast.payments.id, role: "security-officer" }] });
    const thirdCookie = await sessionCookieFor(third.id);
    const queue = await call({ method: "GET", path: "/api/v1/approvals", cookie: thirdCookie });
    expect(queue.body.items.find((e: { versionId: string }) => e.versionId === draft.body.id).editors.map((e: { id: string }) => e.id)).toEqual(writers);

    const other = await decide(thirdCookie, draft.body.id, "approve", submitted.body.version, { note: "A third pair of eyes." });
    expect(other.status, JSON.stringify(other.body)).toBe(200);
    // Leave the baseline as it was for the tests that follow.
    const rejected = await call({
      method: "POST",
      path: `/api/v1/policies/${baselineId}/versions/${draft.body.id}/publish`,
      cookie: cast.cookies.officer,
      headers: { "if-match": `"${other.body.version}"` },
    });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
  });

  it("needs a security officer other than the author for a baseline change", async () => {
    const draft = await api.newDraft(cast.cookies.officer, baselineId);
    const edited = await api.updateDraft(
      cast.cookies.officer,
      baselineId,
      draft.body.id,
      draft.body.version,
      baselineDocument({ limits: { maxBodyBytes: 2_000_000 } }),
    );
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const submitted = await api.transition(cast.cookies.officer, baselineId, draft.body.id, "submit", edited.body.version, transitionBody("submit"));
    const own = await api.transition(cast.cookies.officer, baselineId, draft.body.id, "approve", submitted.body.version, { note: "Mine." });
    expect(own.status).toBe(403);
    expect(own.body.detail).toMatch(/a baseline change needs a security officer other than its author/);
    const other = await api.transition(cast.cookies.officer2, baselineId, draft.body.id, "approve", submitted.body.version, { note: "Checked." });
    expect(other.status, JSON.stringify(other.body)).toBe(200);
    const published = await api.transition(cast.cookies.officer2, baselineId, draft.body.id, "publish", other.body.version);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
  });
});

describe("the comment", () => {
  it("is required to approve, reject and request changes; its absence is audited as denied", async () => {
    const { version } = await submittedByLead();
    for (const decision of ["approve", "reject", "request-changes"]) {
      const refused = await decide(cast.cookies.officer, version.id, decision, version.version, { note: "   " });
      expect(refused.status, decision).toBe(422);
      expect(refused.body.errors[0].path).toBe("body.note");
    }
    expect(await deniedEvents(version.id, "policy.version.approve")).toHaveLength(1);
    expect(await deniedEvents(version.id, "policy.version.reject")).toHaveLength(1);
    expect(await deniedEvents(version.id, "policy.version.request-changes")).toHaveLength(1);
    expect((await db.policyVersion.findUniqueOrThrow({ where: { id: version.id } })).state).toBe("submitted");
  });

  it("of a rejection reaches the submitter as a notification", async () => {
    const { version } = await submittedByLead();
    const rejected = await decide(cast.cookies.officer, version.id, "reject", version.version, { note: "Too broad for a payments API." });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body).toMatchObject({ state: "rejected", reviewNote: "Too broad for a payments API." });
    const notices = await call({ method: "GET", path: "/api/v1/notifications?unread=true", cookie: cast.cookies.lead });
    expect(notices.body.items[0]).toMatchObject({ kind: "policy.version.reject", body: "Too broad for a payments API." });
    expect(notices.body.items[0].title).toMatch(/rejected policy/);
  });
});

describe("request changes", () => {
  it("sends the version back to draft with the comment; the author edits and submits again", async () => {
    const { app, policyId, version } = await submittedByLead();
    const back = await decide(cast.cookies.officer, version.id, "request-changes", version.version, { note: "Name the upload path too." });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body).toMatchObject({ state: "draft", reviewNote: "Name the upload path too.", submittedAt: null, submittedBy: null });
    const event = await db.auditEvent.findFirstOrThrow({ where: { targetId: version.id, action: "policy.version.request-changes" } });
    expect(event.summary).toMatchObject({ before: { state: "submitted" }, after: { state: "draft" }, note: "Name the upload path too." });

    const edited = await api.updateDraft(
      cast.cookies.lead,
      policyId,
      version.id,
      back.body.version,
      applicationDocument(app.slug, { limits: { maxBodyBytes: 2048 } }),
    );
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const again = await api.transition(cast.cookies.lead, policyId, version.id, "submit", edited.body.version, { summary: "Smaller bodies, as asked." });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.submissionSummary).toBe("Smaller bodies, as asked.");
  });

  it("is refused by the database without a comment", async () => {
    const { version } = await submittedByLead();
    await expect(
      db.$executeRaw`UPDATE policy_versions SET state = 'draft', submitted_at = NULL, submitted_by_id = NULL WHERE id = ${version.id}::uuid`,
    ).rejects.toThrow(/cannot return from submitted to draft/);
  });
});

describe("two officers deciding at once", () => {
  it("lets exactly one win; the other gets 409 with the current state", async () => {
    const { version } = await submittedByLead();
    const results = await Promise.all([
      decide(cast.cookies.officer, version.id, "approve", version.version, { note: "Approve." }),
      decide(cast.cookies.officer2, version.id, "reject", version.version, { note: "Reject." }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    const loser = results.find((r) => r.status === 409)!;
    const winner = results.find((r) => r.status === 200)!;
    expect(loser.body.state).toBe(winner.body.state);
    expect(loser.body.currentVersion).toBe(winner.body.version);
  });
});

describe("roles and scope", () => {
  it("refuses decisions to everyone but security officers, and hides nothing from them", async () => {
    const { version } = await submittedByLead();
    for (const person of ["lead", "developer", "auditor", "admin"] as const) {
      expect((await decide(cast.cookies[person], version.id, "approve", version.version)).status, person).toBe(403);
    }
    expect((await decide(cast.cookies.officer, crypto.randomUUID(), "approve", 1)).status).toBe(404);
  });

  it("audits every refused decision by a role that may not decide, and leaves the version as it was", async () => {
    const { version } = await submittedByLead();
    const decisions = { approve: "approveApproval", reject: "rejectApproval", "request-changes": "requestApprovalChanges" } as const;
    for (const person of ["lead", "developer", "auditor"] as const) {
      for (const [decision, operation] of Object.entries(decisions)) {
        const denied = () => db.auditEvent.count({ where: { actorId: cast.ids[person], action: `api.${operation}`, outcome: "denied" } });
        const before = await denied();
        const refused = await decide(cast.cookies[person], version.id, decision, version.version, { note: "Looks fine to me." });
        expect(refused.status, `${person} ${decision}`).toBe(403);
        expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
        expect(await denied(), `${person} ${decision}`).toBe(before + 1);
      }
    }
    expect(await db.policyVersion.findUniqueOrThrow({ where: { id: version.id } })).toMatchObject({ state: "submitted", version: version.version });
    const queue = await call({ method: "GET", path: "/api/v1/approvals", cookie: cast.cookies.developer });
    expect(queue.status).toBe(403);
  });
});

describe("request changes in the transition table", () => {
  it("is offered from the policy's own version route too, and refused while another draft is open", async () => {
    const { policyId, version } = await submittedByLead();
    // A second draft opened meanwhile by the team blocks the way back to draft.
    const other = await api.newDraft(cast.cookies.developer, policyId);
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    const blocked = await api.transition(cast.cookies.officer, policyId, version.id, "request-changes", version.version, { note: "Split the change." });
    expect(blocked.status).toBe(409);
    expect(blocked.body.detail).toMatch(/already an open draft/);
    expect(await deniedEvents(version.id, "policy.version.request-changes")).toHaveLength(1);
  });

  it("tells the submitter, linking to the version", async () => {
    const { policyId, version } = await submittedByLead();
    const back = await api.transition(cast.cookies.officer2, policyId, version.id, "request-changes", version.version, { note: "Name the upload path." });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    const notices = await call({ method: "GET", path: "/api/v1/notifications?unread=true", cookie: cast.cookies.lead });
    expect(notices.body.items[0]).toMatchObject({
      kind: "policy.version.request-changes",
      body: "Name the upload path.",
      link: `/policies/${policyId}/versions/${version.id}`,
    });
    expect(notices.body.items[0].title).toMatch(/sent back for changes/);
  });
});
