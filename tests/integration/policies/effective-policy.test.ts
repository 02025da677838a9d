// What a policy amounts to, on real PostgreSQL: the effective policy of an application
// (published baseline + published application policy, each setting with its origin),
// previews of drafts, environment baselines, the deterministic compiled bundle, and the
// semantic diff between versions.
import { beforeAll, describe, expect, it } from "vitest";
import { bundleSchema, canonicalJson, sha256Hex } from "@/lib/policy-spec";
import { applicationDocument, baselineDocument } from "./policy-fixtures";
import { api, call, createCast, paymentsApp, publish, type Cast } from "./policy-test-kit";

let cast: Cast;

beforeAll(async () => {
  cast = await createCast();
});

const effective = (applicationId: string, query = "", cookie = cast.cookies.lead) =>
  call({ method: "GET", path: `/api/v1/applications/${applicationId}/policy/effective${query}`, cookie });

describe("effective policy", () => {
  it("does not exist until a baseline is published: drafts never count implicitly", async () => {
    const app = await paymentsApp(cast);
    const baseline = await api.createPolicy(cast.cookies.officer, baselineDocument({}, { name: "standard" }));
    expect(baseline.status).toBe(201);
    const none = await effective(app.id);
    expect(none.status).toBe(409);
    expect(none.body.detail).toMatch(/No baseline policy is published yet/);
    // …but the draft can be previewed explicitly.
    const preview = await effective(app.id, `?baselineVersionId=${baseline.body.draft.id}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ preview: true, baseline: { state: "draft" }, applicationPolicy: null });
    await publish(cast, baseline.body.id, { id: baseline.body.draft.id, version: 1 });
  });

  it("merges the published baseline and application policy, telling where each setting comes from", async () => {
    const app = await paymentsApp(cast);
    const created = await api.createPolicy(
      cast.cookies.lead,
      applicationDocument(app.slug, { denyRules: { sqli: { level: "strict" } }, methods: { allowed: ["GET", "POST"] } }),
    );
    // Before publication: the baseline alone.
    const before = await effective(app.id);
    expect(before.status).toBe(200);
    expect(before.body.applicationPolicy).toBeNull();
    expect(before.body.effective.denyRules.sqli.level).toBe("standard");

    const published = await publish(cast, created.body.id, { id: created.body.draft.id, version: 1 }, cast.cookies.lead);
    const after = await effective(app.id);
    expect(after.body).toMatchObject({
      application: { id: app.id, slug: app.slug },
      baseline: { state: "published", environment: null },
      applicationPolicy: { versionId: published.id, number: 1, state: "published" },
      preview: false,
      requirement: { required: false, met: true },
    });
    const { effective: policy } = after.body;
    expect(policy.denyRules.sqli.level).toBe("strict");
    expect(policy.origins["$.denyRules.sqli.level"]).toBe("application");
    expect(policy.origins["$.denyRules.xss.level"]).toBe("baseline");
    expect(policy.methods.allowed).toEqual(["GET", "POST"]);
    expect(policy.sources.application.versionId).toBe(published.id);

    // A draft is previewed only when asked for.
    const draft = await api.newDraft(cast.cookies.lead, created.body.id, {
      content: applicationDocument(app.slug, { denyRules: { sqli: { level: "strict" }, xss: { level: "strict" } } }),
    });
    expect((await effective(app.id)).body.effective.denyRules.xss.level).toBe("standard");
    const preview = await effective(app.id, `?applicationVersionId=${draft.body.id}`);
    expect(preview.body).toMatchObject({ preview: true, applicationPolicy: { state: "draft" } });
    expect(preview.body.effective.denyRules.xss.level).toBe("strict");
  });

  it("uses an environment's own baseline when it has a published one", async () => {
    const app = await paymentsApp(cast);
    const prod = await api.createPolicy(
      cast.cookies.officer,
      baselineDocument({ denyRules: { rce: { level: "strict" } } }, { name: "production", environment: "production" }),
    );
    expect(prod.status, JSON.stringify(prod.body)).toBe(201);
    await publish(cast, prod.body.id, { id: prod.body.draft.id, version: 1 });
    expect((await effective(app.id, "?environment=production")).body).toMatchObject({ baseline: { environment: "production" } });
    expect((await effective(app.id, "?environment=production")).body.effective.denyRules.rce.level).toBe("strict");
    expect((await effective(app.id, "?environment=staging")).body.baseline.environment).toBeNull();
  });

  it("hides other teams' applications", async () => {
    const app = await paymentsApp(cast);
    expect((await effective(app.id, "", cast.cookies.storefrontDeveloper)).status).toBe(404);
  });
});

describe("compiled bundle", () => {
  it("is the same bytes every time, hashed, carrying the versions it came from", async () => {
    const app = await paymentsApp(cast);
    const created = await api.createPolicy(cast.cookies.lead, applicationDocument(app.slug, { allow: [{ path: "/api/**", methods: ["GET"] }] }));
    const published = await publish(cast, created.body.id, { id: created.body.draft.id, version: 1 }, cast.cookies.lead);
    const first = await call({ method: "GET", path: `/api/v1/applications/${app.id}/policy/bundle`, cookie: cast.cookies.developer });
    const second = await call({ method: "GET", path: `/api/v1/applications/${app.id}/policy/bundle`, cookie: cast.cookies.auditor });
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("application/json");
    const bytes = canonicalJson(first.body);
    expect(canonicalJson(second.body)).toBe(bytes);
    const bundle = bundleSchema.parse(first.body);
    expect(first.headers.get("etag")).toBe(`"${bundle.contentHash}"`);
    const { contentHash, ...body } = bundle;
    expect(contentHash).toBe(`sha256:${sha256Hex(canonicalJson(body))}`);
    expect(bundle.sources.application?.versionId).toBe(published.id);
  });
});

describe("diff", () => {
  it("describes the changes between two versions in words and as a list", async () => {
    const app = await paymentsApp(cast);
    const created = await api.createPolicy(cast.cookies.lead, applicationDocument(app.slug, { denyRules: { xss: { level: "strict" } } }));
    await publish(cast, created.body.id, { id: created.body.draft.id, version: 1 }, cast.cookies.lead);
    const next = await api.newDraft(cast.cookies.lead, created.body.id, {
      content: applicationDocument(app.slug, {
        exceptions: [
          {
            id: "search-free-text",
            family: "sqli",
            part: "parameter",
            name: "q",
            conditions: { paths: ["/search"], methods: ["GET"] },
            justification: "Free-text search takes quotes and SQL keywords by design.",
            expires: "2027-01-31",
          },
        ],
      }),
    });
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    const diff = await call({ method: "GET", path: `/api/v1/policies/${created.body.id}/diff?to=${next.body.id}`, cookie: cast.cookies.developer });
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({ from: { number: 1 }, to: { number: 2 }, summary: { loosens: 2 } });
    const texts = diff.body.changes.map((c: { text: string }) => c.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringContaining("adds an exception for sqli on parameter `q` of `GET /search`, expires 2027-01-31"),
        expect.stringMatching(/xss/),
      ]),
    );
    const first = await call({ method: "GET", path: `/api/v1/policies/${created.body.id}/diff?to=${created.body.draft.id}`, cookie: cast.cookies.developer });
    expect(first.status).toBe(422);
    expect(first.body.errors[0].path).toBe("query.from");
  });
});
