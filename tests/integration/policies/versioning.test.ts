// Policy versions on real PostgreSQL: creating and importing (JSON and YAML), one open
// draft at a time, edits with If-Match (and exactly one winner of two), frozen content
// outside drafts (in the domain and in the database), rollback, YAML round trips, and
// nothing stored when a document is invalid.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { applicationDocument, baselineDocument } from "./policy-fixtures";
import { api, call, createCast, paymentsApp, publish, transitionBody, type Cast } from "./policy-test-kit";

let cast: Cast;
let baselineId: string;

beforeAll(async () => {
  cast = await createCast();
  const created = await api.createPolicy(
    cast.cookies.officer,
    baselineDocument({ methods: { allowed: ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"] } }, { name: "standard" }),
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  baselineId = created.body.id;
  await publish(cast, baselineId, { id: created.body.draft.id, version: 1 });
});

async function counts() {
  return {
    policies: await db.policy.count(),
    versions: await db.policyVersion.count(),
    audit: await db.auditEvent.count({ where: { outcome: "success" } }),
  };
}

/** An application policy of a fresh payments application, with its first draft. */
async function applicationPolicy(sections: Record<string, unknown> = {}) {
  const app = await paymentsApp(cast);
  const created = await api.createPolicy(cast.cookies.lead, applicationDocument(app.slug, sections));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { app, policyId: created.body.id as string, draftId: created.body.draft.id as string };
}

function yamlCall(path: string, method: "POST" | "PUT", cookie: string, yaml: string, headers: Record<string, string> = {}) {
  return call({ method, path, cookie, rawBody: yaml, headers: { "content-type": "application/yaml", ...headers } });
}

describe("creating and importing policies", () => {
  it("creates a policy whose version 1 is a draft with the validated document, its hash and author, audited", async () => {
    const app = await paymentsApp(cast);
    const before = await counts();
    const created = await api.createPolicy(cast.cookies.lead, applicationDocument(app.slug, { denyRules: { sqli: { level: "strict" } } }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: "application",
      scope: `application:${app.id}`,
      name: app.slug,
      application: { id: app.id, slug: app.slug },
      publishedVersion: null,
      draft: { number: 1, state: "draft" },
      latestVersion: { number: 1, state: "draft" },
    });
    const version = await api.getVersion(cast.cookies.developer, created.body.id, created.body.draft.id);
    expect(version.status).toBe(200);
    expect(version.headers.get("etag")).toBe('"1"');
    expect(version.body).toMatchObject({ number: 1, state: "draft", parentId: null, version: 1, author: { id: cast.ids.lead } });
    expect(version.body.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Stored with its defaults filled in: what was reviewed is exactly what is enforced.
    expect(version.body.content).toMatchObject({ denyRules: { sqli: { level: "strict" } }, exceptions: [], rateLimits: [] });
    expect(await counts()).toEqual({ policies: before.policies + 1, versions: before.versions + 1, audit: before.audit + 1 });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "policy.create", targetId: created.body.id } });
    expect(event.teamId).toBe(cast.payments.id);
  });

  it("imports a YAML document as the body", async () => {
    const app = await paymentsApp(cast);
    const yaml = `apiVersion: rampart.dev/v1alpha1\nkind: ApplicationPolicy\nmetadata:\n  application: ${app.slug}\n  applicationVersion: 2.0.0\nmethods:\n  allowed: [GET, POST]\n`;
    const created = await yamlCall("/api/v1/policies", "POST", cast.cookies.developer, yaml);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const version = await api.getVersion(cast.cookies.developer, created.body.id, created.body.draft.id);
    expect(version.body.content.methods).toEqual({ allowed: ["GET", "POST"] });
  });

  it("reports every error of a YAML import with its line and column, and stores nothing", async () => {
    const app = await paymentsApp(cast);
    const yaml = [
      "apiVersion: rampart.dev/v1alpha1",
      "kind: ApplicationPolicy",
      "metadata:",
      `  application: ${app.slug}`,
      "  applicationVersion: 1.0.0",
      "denyRules:",
      "  sqli:",
      "    level: extreme",
      "methodz: [GET]",
      "",
    ].join("\n");
    const before = await counts();
    const refused = await yamlCall("/api/v1/policies", "POST", cast.cookies.lead, yaml);
    expect(refused.status).toBe(422);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ path: "body.content.denyRules.sqli.level", line: 8, column: 12 }),
      expect.objectContaining({ path: "body.content.methodz", line: 9, column: 1 }),
    ]);
    expect(refused.body.errors[0].message).toMatch(/basic|standard|strict/);
    expect(await counts()).toEqual(before);
  });

  it("reports a YAML syntax error with its line and column", async () => {
    const refused = await yamlCall("/api/v1/policies", "POST", cast.cookies.lead, "apiVersion: rampart.dev/v1alpha1\nkind: [ApplicationPolicy\n");
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]).toMatchObject({ path: "body.content", line: expect.any(Number), column: expect.any(Number) });
    expect(refused.body.errors[0].message).toMatch(/YAML syntax error/);
  });

  it("refuses huge and deeply nested documents with a limit error, not a crash", async () => {
    const deep = `${Array.from({ length: 80 }, (_, i) => `${"  ".repeat(i)}k${i}:`).join("\n")} 1\n`;
    const nested = await yamlCall("/api/v1/policies", "POST", cast.cookies.lead, deep);
    expect(nested.status).toBe(422);
    expect(nested.body.errors[0].message).toMatch(/nested more than/);
    const huge = await yamlCall("/api/v1/policies", "POST", cast.cookies.lead, `description: "${"x".repeat(1024 * 1024 + 1)}"\n`);
    expect(huge.status).toBe(413);
  });

  it("takes what the policy applies to from the document, scoped like every read", async () => {
    const storefrontApp = await paymentsApp(cast, { teamId: cast.storefront.id });
    const hidden = await api.createPolicy(cast.cookies.lead, applicationDocument(storefrontApp.slug));
    expect(hidden.status).toBe(422);
    expect(hidden.body.errors).toEqual([{ path: "body.content.metadata.application", message: `no application "${storefrontApp.slug}" that you can see` }]);

    const { app } = await applicationPolicy();
    const twice = await api.createPolicy(cast.cookies.lead, applicationDocument(app.slug));
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toMatch(/already has a policy/);

    const baselineTwice = await api.createPolicy(cast.cookies.officer, baselineDocument());
    expect(baselineTwice.status).toBe(409);
    expect(baselineTwice.body.policyId).toBe(baselineId);
  });

  it("refuses an application policy that loosens the baseline, naming the field and the baseline rule", async () => {
    const app = await paymentsApp(cast);
    const before = await counts();
    const refused = await api.createPolicy(cast.cookies.lead, applicationDocument(app.slug, { methods: { allowed: ["GET", "PATCH"] } }));
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([{ path: "body.content.methods.allowed.1", message: expect.stringMatching(/PATCH.*baseline's \$\.methods\.allowed/) }]);
    expect(await counts()).toEqual(before);
  });
});

describe("drafts", () => {
  it("allows one open draft per policy; a new one copies the latest version and names it as parent", async () => {
    const { policyId, draftId } = await applicationPolicy({ denyRules: { xss: { level: "strict" } } });
    const second = await api.newDraft(cast.cookies.lead, policyId);
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ draftId });

    await publish(cast, policyId, { id: draftId, version: 1 }, cast.cookies.lead);
    const copy = await api.newDraft(cast.cookies.developer, policyId, { note: "Next release" });
    expect(copy.status).toBe(201);
    const first = await api.getVersion(cast.cookies.lead, policyId, draftId);
    expect(copy.body).toMatchObject({
      number: 2,
      state: "draft",
      parentId: draftId,
      parentNumber: 1,
      note: "Next release",
      contentHash: first.body.contentHash,
    });
  });

  it("edits a draft with If-Match: a stale one is a 409, a missing one a 428", async () => {
    const { app, policyId, draftId } = await applicationPolicy();
    const edited = await api.updateDraft(cast.cookies.developer, policyId, draftId, 1, applicationDocument(app.slug, { limits: { maxBodyBytes: 4096 } }));
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ version: 2, content: { limits: { maxBodyBytes: 4096 } } });
    expect(edited.headers.get("etag")).toBe('"2"');

    const stale = await api.updateDraft(cast.cookies.lead, policyId, draftId, 1, applicationDocument(app.slug));
    expect(stale.status).toBe(409);
    expect(stale.body.currentVersion).toBe(2);

    const missing = await call({
      method: "PUT",
      path: `/api/v1/policies/${policyId}/versions/${draftId}`,
      cookie: cast.cookies.lead,
      body: { content: applicationDocument(app.slug) },
    });
    expect(missing.status).toBe(428);
  });

  it("of two edits made from the same version, exactly one wins and the other gets 409", async () => {
    const { app, policyId, draftId } = await applicationPolicy();
    const results = await Promise.all([
      api.updateDraft(cast.cookies.lead, policyId, draftId, 1, applicationDocument(app.slug, { limits: { maxBodyBytes: 1000 } })),
      api.updateDraft(cast.cookies.developer, policyId, draftId, 1, applicationDocument(app.slug, { limits: { maxBodyBytes: 2000 } })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!;
    const stored = await db.policyVersion.findUniqueOrThrow({ where: { id: draftId } });
    expect(stored.version).toBe(2);
    expect(stored.contentHash).toBe(winner.body.contentHash);
    expect(await db.auditEvent.count({ where: { action: "policy.draft.update", targetId: draftId } })).toBe(1);
  });

  it("stores nothing when an edit is invalid: content, revision and audit trail stay as they were", async () => {
    const { app, policyId, draftId } = await applicationPolicy();
    const before = await db.policyVersion.findUniqueOrThrow({ where: { id: draftId } });
    const auditBefore = await counts();
    const refused = await api.updateDraft(
      cast.cookies.lead,
      policyId,
      draftId,
      1,
      applicationDocument(app.slug, { limits: { maxBodyBytes: -1 }, cors: { allowOrigins: "*" } }),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["body.content.cors.allowOrigins", "body.content.limits.maxBodyBytes"]);
    expect(await db.policyVersion.findUniqueOrThrow({ where: { id: draftId } })).toEqual(before);
    expect(await counts()).toEqual(auditBefore);

    const renamed = await api.updateDraft(cast.cookies.lead, policyId, draftId, 1, applicationDocument("someone-else"));
    expect(renamed.status).toBe(422);
    expect(renamed.body.errors).toEqual([
      { path: "body.content.metadata.application", message: `must be "${app.slug}", the application this policy belongs to` },
    ]);
  });

  it("freezes every version that left draft: the API refuses edits, and so does the database", async () => {
    const { app, policyId, draftId } = await applicationPolicy();
    const submitted = await api.transition(cast.cookies.lead, policyId, draftId, "submit", 1, transitionBody("submit"));
    expect(submitted.status).toBe(200);
    const refused = await api.updateDraft(
      cast.cookies.lead,
      policyId,
      draftId,
      submitted.body.version,
      applicationDocument(app.slug, { limits: { maxBodyBytes: 10 } }),
    );
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/submitted; its content is frozen/);

    await expect(db.$executeRaw`UPDATE policy_versions SET content = '{}'::jsonb WHERE id = ${draftId}::uuid`).rejects.toThrow(/content is frozen/);
    await expect(
      db.$executeRaw`UPDATE policy_versions SET state = 'draft', submitted_at = NULL, submitted_by_id = NULL WHERE id = ${draftId}::uuid`,
    ).rejects.toThrow(/cannot return from submitted to draft/);
    await expect(db.$executeRaw`DELETE FROM policy_versions WHERE id = ${draftId}::uuid`).rejects.toThrow(/cannot be deleted/);
    await expect(db.$executeRaw`UPDATE policy_versions SET number = 7 WHERE id = ${draftId}::uuid`).rejects.toThrow(/never change/);
    const version = await db.policyVersion.findUniqueOrThrow({ where: { id: draftId } });
    await expect(
      db.policyVersion.create({
        data: { policyId, number: 99, state: "published", content: {}, contentHash: version.contentHash, authorId: cast.ids.lead },
      }),
    ).rejects.toThrow(/starts as a draft/);
  });

  it("rolls back by restoring an earlier version into a new draft with equal content", async () => {
    const { app, policyId, draftId } = await applicationPolicy({ denyRules: { sqli: { level: "strict" } } });
    const v1 = await publish(cast, policyId, { id: draftId, version: 1 }, cast.cookies.lead);
    const v2Draft = await api.newDraft(cast.cookies.lead, policyId, {
      content: applicationDocument(app.slug, { denyRules: { sqli: { level: "strict" }, xss: { level: "strict" } } }),
    });
    expect(v2Draft.status).toBe(201);
    const v2 = await publish(cast, policyId, v2Draft.body, cast.cookies.lead);
    expect(v2.contentHash).not.toBe(v1.contentHash);

    const restored = await api.newDraft(cast.cookies.lead, policyId, { fromVersionId: v1.id, note: "Back to 1" });
    expect(restored.status).toBe(201);
    expect(restored.body).toMatchObject({ number: 3, state: "draft", parentId: v1.id, contentHash: v1.contentHash, content: v1.content });
    expect(await db.auditEvent.count({ where: { action: "policy.version.restore", targetId: restored.body.id } })).toBe(1);

    const diff = await call({ method: "GET", path: `/api/v1/policies/${policyId}/diff?from=${v2.id}&to=${restored.body.id}`, cookie: cast.cookies.developer });
    expect(diff.status).toBe(200);
    expect(diff.body.changes).toEqual([expect.objectContaining({ path: expect.stringMatching(/^\$\.denyRules\.xss/), risk: "loosens" })]);

    // Version 3 is published; version 1 and 2 stay as they were, 2 now superseded.
    await publish(cast, policyId, restored.body, cast.cookies.lead);
    const states = await db.policyVersion.findMany({ where: { policyId }, orderBy: { number: "asc" }, select: { state: true } });
    expect(states.map((s) => s.state)).toEqual(["superseded", "superseded", "published"]);

    const foreign = await api.newDraft(cast.cookies.lead, policyId, { fromVersionId: crypto.randomUUID() });
    expect(foreign.status).toBe(422);
  });
});

describe("YAML export", () => {
  it("downloads a version as YAML that imports back to the same content hash", async () => {
    const { policyId, draftId } = await applicationPolicy({
      securityHeaders: { custom: { "X-Team": "payments" } },
      tls: { minVersion: "1.3" },
      exceptions: [
        {
          id: "search",
          family: "sqli",
          part: "parameter",
          name: "q",
          conditions: { paths: ["/search"], methods: ["GET"] },
          justification: "Free-text search takes quotes by design.",
          expires: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
        },
      ],
    });
    const published = await publish(cast, policyId, { id: draftId, version: 1 }, cast.cookies.lead);
    const exported = await call({ method: "GET", path: `/api/v1/policies/${policyId}/versions/${draftId}/export`, cookie: cast.cookies.developer });
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toBe("application/yaml; charset=utf-8");
    expect(exported.headers.get("content-disposition")).toMatch(/attachment; filename=".*-v1\.yaml"/);
    const yaml = exported.body as string;
    expect(yaml).toContain("# yaml-language-server: $schema=http://127.0.0.1:3000/schemas/application-policy.json");
    expect(yaml).toContain('minVersion: "1.3"');

    const imported = await yamlCall(`/api/v1/policies/${policyId}/versions`, "POST", cast.cookies.lead, yaml);
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect(imported.body.contentHash).toBe(published.contentHash);
    expect(imported.body.content).toEqual(published.content);

    // And a YAML edit of the draft, with the same If-Match rules as JSON.
    const edited = await yamlCall(
      `/api/v1/policies/${policyId}/versions/${imported.body.id}`,
      "PUT",
      cast.cookies.lead,
      yaml.replace('minVersion: "1.3"', "minVersion: 1.3"),
      {
        "if-match": '"1"',
      },
    );
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.contentHash).toBe(published.contentHash);
  });

  it("refuses other media types", async () => {
    const refused = await call({
      method: "POST",
      path: "/api/v1/policies",
      cookie: cast.cookies.lead,
      rawBody: "x",
      headers: { "content-type": "text/plain" },
    });
    expect(refused.status).toBe(415);
    expect(refused.body.detail).toMatch(/application\/yaml/);
  });
});

describe("reading policies", () => {
  it("shows every baseline to everyone who reads policies, and application policies to their team only", async () => {
    const { policyId } = await applicationPolicy();
    const other = await api.getPolicy(cast.cookies.storefrontDeveloper, policyId);
    expect(other.status).toBe(404);
    const list = await call({ method: "GET", path: "/api/v1/policies?pageSize=100", cookie: cast.cookies.storefrontDeveloper });
    expect(list.body.items.map((p: { kind: string }) => p.kind)).toEqual(["baseline"]);
    const auditor = await api.getPolicy(cast.cookies.auditor, policyId);
    expect(auditor.status).toBe(200);
    expect(auditor.body.abilities).toEqual({ edit: false, review: false, publish: false });
    const lead = await api.getPolicy(cast.cookies.lead, policyId);
    expect(lead.body.abilities).toEqual({ edit: true, review: false, publish: false });
    expect(lead.body.versions).toHaveLength(1);
    const baseline = await api.getPolicy(cast.cookies.storefrontDeveloper, baselineId);
    expect(baseline.body).toMatchObject({ kind: "baseline", name: "standard", publishedVersion: { number: 1 }, abilities: { edit: false } });
  });
});
