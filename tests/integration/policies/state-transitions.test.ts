// The life of a policy version on real PostgreSQL: every transition from every state,
// allowed or refused; who may take each; stale If-Match; publication superseding the
// version in force; and editing rights following the architecture decision.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createAcceptedDecision } from "@/prisma/factories";
import { POLICY_VERSION_STATES, type PolicyVersionState } from "@/lib/policies/policy-schemas";
import { canTransition, POLICY_TRANSITION_NAMES, POLICY_TRANSITIONS, type PolicyTransition } from "@/lib/policies/policy-transitions";
import { applicationDocument, baselineDocument, createPolicyFixture } from "./policy-fixtures";
import { api, createCast, paymentsApp, publish, transitionBody, type Cast } from "./policy-test-kit";

let cast: Cast;

beforeAll(async () => {
  cast = await createCast();
  const baseline = await api.createPolicy(cast.cookies.officer, baselineDocument());
  await publish(cast, baseline.body.id, { id: baseline.body.draft.id, version: 1 });
});

/** An application policy (internal application, so the internet rule stays out of the way) whose version 1 is in `state`. */
async function versionIn(state: PolicyVersionState) {
  const app = await paymentsApp(cast);
  const { policy, versions } = await createPolicyFixture(db, {
    kind: "application",
    application: app,
    authorId: cast.ids.lead,
    officerId: cast.ids.officer,
    versions: [{ state }],
  });
  return { app, policyId: policy.id, version: versions[0]! };
}

const ACTOR: Record<PolicyTransition, "lead" | "officer"> = {
  submit: "lead",
  approve: "officer",
  "request-changes": "officer",
  reject: "officer",
  publish: "officer",
};
const STAMP: Record<PolicyTransition, object> = {
  submit: { submittedBy: { id: expect.any(String) }, submittedAt: expect.any(String) },
  approve: { reviewedBy: { id: expect.any(String) }, reviewedAt: expect.any(String) },
  "request-changes": { submittedBy: null, submittedAt: null, reviewNote: "Name the upload path." },
  reject: { reviewedBy: { id: expect.any(String) }, reviewNote: "Too broad." },
  publish: { publishedBy: { id: expect.any(String) }, publishedAt: expect.any(String) },
};

describe("every transition from every state", () => {
  for (const state of POLICY_VERSION_STATES) {
    for (const transition of POLICY_TRANSITION_NAMES) {
      const allowed = canTransition(state, transition);
      it(`${transition} from ${state} → ${allowed ? POLICY_TRANSITIONS[transition].to : "409"}`, async () => {
        const { policyId, version } = await versionIn(state);
        const before = await db.policyVersion.findUniqueOrThrow({ where: { id: version.id } });
        const result = await api.transition(cast.cookies[ACTOR[transition]], policyId, version.id, transition, version.version, transitionBody(transition));
        if (allowed) {
          expect(result.status, JSON.stringify(result.body)).toBe(200);
          expect(result.body).toMatchObject({ state: POLICY_TRANSITIONS[transition].to, version: version.version + 1, ...STAMP[transition] });
          expect(result.body.contentHash).toBe(before.contentHash);
          const event = await db.auditEvent.findFirstOrThrow({ where: { action: `policy.version.${transition}`, targetId: version.id } });
          expect(event.summary).toMatchObject({ before: { state }, after: { state: POLICY_TRANSITIONS[transition].to } });
        } else {
          expect(result.status, JSON.stringify(result.body)).toBe(409);
          expect(result.body.detail).toMatch(new RegExp(`^Version 1 is ${state}; only`));
          expect(await db.policyVersion.findUniqueOrThrow({ where: { id: version.id } })).toEqual(before);
        }
      });
    }
  }
});

describe("who may take a transition", () => {
  it("lets the team's project lead and developers submit, and no one else", async () => {
    for (const [person, status] of [
      ["storefrontDeveloper", 404],
      ["auditor", 403],
      ["officer", 403],
      ["developer", 200],
    ] as const) {
      const { policyId, version } = await versionIn("draft");
      const result = await api.transition(cast.cookies[person], policyId, version.id, "submit", version.version, transitionBody("submit"));
      expect(result.status, `${person}: ${JSON.stringify(result.body)}`).toBe(status);
    }
  });

  it("lets only security officers approve, request changes, reject and publish", async () => {
    for (const transition of ["approve", "request-changes", "reject", "publish"] as const) {
      const { policyId, version } = await versionIn(transition === "publish" ? "approved" : "submitted");
      for (const person of ["lead", "developer", "auditor", "admin"] as const) {
        const result = await api.transition(cast.cookies[person], policyId, version.id, transition, version.version, transitionBody(transition));
        expect(result.status, `${person} ${transition}`).toBe(403);
      }
      // Any security officer, also one from another team: the security team works organisation-wide.
      const result = await api.transition(cast.cookies.officer2, policyId, version.id, transition, version.version, transitionBody(transition));
      expect(result.status, JSON.stringify(result.body)).toBe(200);
    }
  });

  it("lets only security officers edit the baseline", async () => {
    const baseline = await db.policy.findFirstOrThrow({ where: { kind: "baseline" } });
    const lead = await api.newDraft(cast.cookies.lead, baseline.id);
    expect(lead.status).toBe(403);
    expect(lead.body.detail).toBe("Only security officers edit the baseline policy.");
    const officer = await api.newDraft(cast.cookies.officer2, baseline.id);
    expect(officer.status, JSON.stringify(officer.body)).toBe(201);
  });

  it("requires a reason to reject, and the If-Match of the current revision", async () => {
    const { policyId, version } = await versionIn("submitted");
    const noReason = await api.transition(cast.cookies.officer, policyId, version.id, "reject", version.version, { note: "  " });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors[0].path).toBe("body.note");
    const stale = await api.transition(cast.cookies.officer, policyId, version.id, "approve", version.version - 1, transitionBody("approve"));
    expect(stale.status).toBe(409);
    expect(stale.body.currentVersion).toBe(version.version);
  });

  it("follows an accepted architecture decision: under C only security officers edit an application's policy", async () => {
    const { app, policyId, version } = await versionIn("draft");
    const decision = await createAcceptedDecision(db, {
      teamId: cast.payments.id,
      architecture: "C",
      authorId: cast.ids.lead,
      acceptedById: cast.ids.officer,
      applicationIds: [app.id],
    });
    expect(decision.status).toBe("accepted");
    const lead = await api.updateDraft(cast.cookies.lead, policyId, version.id, version.version, applicationDocument(app.slug));
    expect(lead.status).toBe(403);
    expect(lead.body.detail).toBe("This application's policy is edited by security officers.");
    const officer = await api.updateDraft(
      cast.cookies.officer,
      policyId,
      version.id,
      version.version,
      applicationDocument(app.slug, { limits: { maxBodyBytes: 1024 } }),
    );
    expect(officer.status, JSON.stringify(officer.body)).toBe(200);
    const detail = await api.getPolicy(cast.cookies.lead, policyId);
    expect(detail.body.abilities.edit).toBe(false);
  });
});

describe("publishing", () => {
  async function decide(architecture: "A" | "B" | "C", applicationId: string) {
    await createAcceptedDecision(db, {
      teamId: cast.payments.id,
      architecture,
      authorId: cast.ids.lead,
      acceptedById: cast.ids.officer,
      applicationIds: [applicationId],
    });
  }

  it("lets the project lead publish the team's fine-grained policy under A and B, not under C or without a decision", async () => {
    for (const [architecture, expected] of [
      ["A", 200],
      ["B", 200],
      ["C", 403],
      [null, 403],
    ] as const) {
      const { app, policyId, version } = await versionIn("approved");
      if (architecture) await decide(architecture, app.id);
      const detail = await api.getPolicy(cast.cookies.lead, policyId);
      expect(detail.body.abilities.publish, `abilities under ${architecture}`).toBe(expected === 200);
      const deniedBefore = await db.auditEvent.count({ where: { action: "api.publishPolicyVersion", outcome: "denied" } });
      const published = await api.transition(cast.cookies.lead, policyId, version.id, "publish", version.version);
      expect(published.status, `${architecture}: ${JSON.stringify(published.body)}`).toBe(expected);
      if (expected === 403) {
        expect(published.body.detail).toMatch(/project leads publish fine-grained policy only where the accepted architecture \(A or B\)/);
        expect(await db.auditEvent.count({ where: { action: "api.publishPolicyVersion", outcome: "denied" } }), "the refusal is audited").toBe(
          deniedBefore + 1,
        );
      }
    }
  });

  it("supersedes the version in force and points the policy at the new one", async () => {
    const app = await paymentsApp(cast);
    const { policy, versions } = await createPolicyFixture(db, {
      kind: "application",
      application: app,
      authorId: cast.ids.lead,
      officerId: cast.ids.officer,
      versions: [{ state: "published" }, { state: "approved", content: applicationDocument(app.slug, { denyRules: { rce: { level: "strict" } } }) }],
    });
    const [v1, v2] = versions as [(typeof versions)[0], (typeof versions)[0]];
    const published = await api.transition(cast.cookies.officer, policy.id, v2.id, "publish", v2.version);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(await db.policyVersion.findUniqueOrThrow({ where: { id: v1.id } })).toMatchObject({ state: "superseded", supersededAt: expect.any(Date) });
    const detail = await api.getPolicy(cast.cookies.lead, policy.id);
    expect(detail.body.publishedVersion).toEqual({ id: v2.id, number: 2, state: "published" });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "policy.version.publish", targetId: v2.id } });
    expect(event.summary).toMatchObject({ superseded: 1 });
  });

  it("refuses to publish an older version over a newer one (a restore is explicit)", async () => {
    const app = await paymentsApp(cast);
    const { policy, versions } = await createPolicyFixture(db, {
      kind: "application",
      application: app,
      authorId: cast.ids.lead,
      versions: [{ state: "approved" }, { state: "published" }],
    });
    const result = await api.transition(cast.cookies.officer, policy.id, versions[0]!.id, "publish", versions[0]!.version);
    expect(result.status).toBe(409);
    expect(result.body.detail).toMatch(/older than the published version 2/);
  });

  it("names the baseline after the version in force", async () => {
    const baseline = await db.policy.findFirstOrThrow({ where: { kind: "baseline" } });
    const draft =
      (await db.policyVersion.findFirst({ where: { policyId: baseline.id, state: "draft" } })) ?? (await api.newDraft(cast.cookies.officer, baseline.id)).body;
    const strict = await api.updateDraft(
      cast.cookies.officer,
      baseline.id,
      draft.id,
      draft.version,
      baselineDocument({ denyRules: { sqli: { level: "strict" } } }, { name: "strict" }),
    );
    expect(strict.status, JSON.stringify(strict.body)).toBe(200);
    await publish(cast, baseline.id, strict.body);
    expect((await db.policy.findUniqueOrThrow({ where: { id: baseline.id } })).name).toBe("strict");
  });
});
