// The seed's warning as a rule, on real PostgreSQL: an internet-facing application cannot
// have a version published (nor a bundle compiled) while it has no fine-grained policy,
// unless a security officer has accepted the risk until a date that has not passed.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { applicationDocument, baselineDocument, createPolicyFixture } from "./policy-fixtures";
import { api, call, createCast, paymentsApp, publish, type Cast } from "./policy-test-kit";

let cast: Cast;

beforeAll(async () => {
  cast = await createCast();
  const baseline = await api.createPolicy(cast.cookies.officer, baselineDocument());
  await publish(cast, baseline.body.id, { id: baseline.body.draft.id, version: 1 });
});

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** An internet-facing application whose policy's version 1 is approved, with `sections` as its rules. */
async function approvedPolicy(sections: Record<string, unknown>, exposure: "internet" | "internal" = "internet") {
  const app = await paymentsApp(cast, { exposure });
  const { policy, versions } = await createPolicyFixture(db, {
    kind: "application",
    application: app,
    authorId: cast.ids.lead,
    officerId: cast.ids.officer,
    versions: [{ state: "approved", content: applicationDocument(app.slug, sections) }],
  });
  return { app, policyId: policy.id, version: versions[0]! };
}

function acceptRisk(applicationId: string, body: Record<string, unknown>, cookie = cast.cookies.officer) {
  return call({ method: "POST", path: `/api/v1/applications/${applicationId}/risk-acceptances`, cookie, body });
}

function bundle(applicationId: string, cookie = cast.cookies.lead) {
  return call({ method: "GET", path: `/api/v1/applications/${applicationId}/policy/bundle`, cookie });
}

describe("publishing for an internet-facing application", () => {
  it("is refused when the policy has no rules of its own", async () => {
    const { app, policyId, version } = await approvedPolicy({});
    const refused = await api.transition(cast.cookies.officer, policyId, version.id, "publish", version.version);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ rule: "internet-exposure-needs-fine-grained-policy", applicationId: app.id });
    expect(refused.body.detail).toMatch(/exposed to the internet and has no fine-grained policy/);
    expect((await db.policyVersion.findUniqueOrThrow({ where: { id: version.id } })).state).toBe("approved");
  });

  it("is refused when the policy only declares exceptions", async () => {
    const exception = {
      id: "q",
      family: "sqli",
      part: "parameter",
      name: "q",
      conditions: { paths: ["/search"], methods: ["GET"] },
      justification: "Search takes quotes by design.",
      expires: inDays(30).slice(0, 10),
    };
    const { policyId, version } = await approvedPolicy({ exceptions: [exception] });
    const refused = await api.transition(cast.cookies.officer, policyId, version.id, "publish", version.version);
    expect(refused.status).toBe(409);
  });

  it("is allowed with fine-grained rules, and for internal applications without", async () => {
    const withRules = await approvedPolicy({ allow: [{ path: "/api/**", methods: ["GET"] }] });
    expect((await api.transition(cast.cookies.officer, withRules.policyId, withRules.version.id, "publish", withRules.version.version)).status).toBe(200);
    const internal = await approvedPolicy({}, "internal");
    expect((await api.transition(cast.cookies.officer, internal.policyId, internal.version.id, "publish", internal.version.version)).status).toBe(200);
  });

  it("is allowed while a risk acceptance is in force, and refused again once it is revoked or expired", async () => {
    const { app, policyId, version } = await approvedPolicy({});
    const accepted = await acceptRisk(app.id, { reason: "Launch campaign; policy follows in sprint 12.", expiresAt: inDays(14) });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    expect(accepted.body).toMatchObject({ active: true, acceptedBy: { id: cast.ids.officer }, revokedAt: null });
    expect(await db.auditEvent.count({ where: { action: "risk-acceptance.create", targetId: accepted.body.id } })).toBe(1);

    const effective = await call({
      method: "GET",
      path: `/api/v1/applications/${app.id}/policy/effective?applicationVersionId=${version.id}`,
      cookie: cast.cookies.lead,
    });
    expect(effective.body.requirement).toMatchObject({ required: true, satisfied: false, met: true, riskAcceptance: { id: accepted.body.id } });
    expect((await api.transition(cast.cookies.officer, policyId, version.id, "publish", version.version)).status).toBe(200);

    // Revoked: the bundle of the published (rule-less) policy is no longer delivered.
    expect((await bundle(app.id)).status).toBe(200);
    const revoked = await call({
      method: "POST",
      path: `/api/v1/applications/${app.id}/risk-acceptances/${accepted.body.id}/revoke`,
      cookie: cast.cookies.officer2,
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ active: false, revokedBy: { id: cast.ids.officer2 } });
    expect((await bundle(app.id)).status).toBe(409);
    const again = await call({
      method: "POST",
      path: `/api/v1/applications/${app.id}/risk-acceptances/${accepted.body.id}/revoke`,
      cookie: cast.cookies.officer,
    });
    expect(again.status).toBe(409);

    // Expired: recorded long ago (written directly, since the API refuses past expiries).
    const other = await approvedPolicy({});
    await db.$executeRaw`INSERT INTO risk_acceptances (id, application_id, reason, expires_at, accepted_by_id, created_at)
      VALUES (gen_random_uuid(), ${other.app.id}::uuid, 'Old launch.', now() - interval '1 day', ${cast.ids.officer}::uuid, now() - interval '30 days')`;
    const expired = await api.transition(cast.cookies.officer, other.policyId, other.version.id, "publish", other.version.version);
    expect(expired.status).toBe(409);
    const list = await call({ method: "GET", path: `/api/v1/applications/${other.app.id}/risk-acceptances`, cookie: cast.cookies.developer });
    expect(list.body.items).toEqual([expect.objectContaining({ active: false, reason: "Old launch." })]);
  });
});

describe("compiled bundles for an internet-facing application", () => {
  it("are refused without a published application policy, and delivered once its risk is accepted", async () => {
    const app = await paymentsApp(cast, { exposure: "internet" });
    const refused = await bundle(app.id);
    expect(refused.status).toBe(409);
    expect(refused.body.rule).toBe("internet-exposure-needs-fine-grained-policy");
    expect((await acceptRisk(app.id, { reason: "Baseline only until the API is specified.", expiresAt: inDays(7) })).status).toBe(201);
    const delivered = await bundle(app.id);
    expect(delivered.status).toBe(200);
    expect(delivered.body.sources.application).toBeNull();
  });
});

describe("recording risk acceptances", () => {
  it("requires a security officer, a reason and an expiry within 180 days", async () => {
    const app = await paymentsApp(cast, { exposure: "internet" });
    expect((await acceptRisk(app.id, { reason: "We are in a hurry.", expiresAt: inDays(7) }, cast.cookies.lead)).status).toBe(403);
    const past = await acceptRisk(app.id, { reason: "We are in a hurry.", expiresAt: inDays(-1) });
    expect(past.status).toBe(422);
    expect(past.body.errors).toEqual([{ path: "body.expiresAt", message: "must be in the future" }]);
    const far = await acceptRisk(app.id, { reason: "We are in a hurry.", expiresAt: inDays(400) });
    expect(far.body.errors).toEqual([{ path: "body.expiresAt", message: "must be at most 180 days from now" }]);
    const short = await acceptRisk(app.id, { reason: "ok", expiresAt: inDays(7) });
    expect(short.body.errors[0].path).toBe("body.reason");
    const internal = await paymentsApp(cast);
    expect((await acceptRisk(internal.id, { reason: "Nothing to accept here.", expiresAt: inDays(7) })).status).toBe(409);
    expect(await db.riskAcceptance.count({ where: { applicationId: { in: [app.id, internal.id] } } })).toBe(0);
  });

  it("keeps them as recorded: the database refuses edits and deletion", async () => {
    const app = await paymentsApp(cast, { exposure: "internet" });
    const accepted = await acceptRisk(app.id, { reason: "Launch first, policy next week.", expiresAt: inDays(7) });
    await expect(db.$executeRaw`UPDATE risk_acceptances SET expires_at = now() + interval '5 years' WHERE id = ${accepted.body.id}::uuid`).rejects.toThrow(
      /can only be revoked/,
    );
    await expect(db.$executeRaw`DELETE FROM risk_acceptances WHERE id = ${accepted.body.id}::uuid`).rejects.toThrow(/can only be revoked/);
  });
});
