// One rule decides which applications a target receives (lib/delivery/
// resolve-deliverable-applications.ts): a proxy target and a Git target of the same
// applications deliver the same bundles and leave out the same applications for the same
// reasons.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { buildDeliverySet } from "@/lib/delivery/build-delivery-set";
import { stopDeliveryListener } from "@/lib/delivery/delivery-listener";
import { renderTargetResources } from "@/lib/kubernetes/delivery/render-target-resources";
import { applicationDocument, createPolicyFixture } from "../policies/policy-fixtures";
import { call, createCast, paymentsApp, type Cast } from "../policies/policy-test-kit";

let cast: Cast;

beforeAll(async () => {
  cast = await createCast();
  await createPolicyFixture(db, { kind: "baseline", authorId: cast.ids.officer, versions: [{ state: "published" }] });
});
afterAll(async () => {
  await stopDeliveryListener();
});

const byId = <T extends { applicationId: string }>(list: T[]) => [...list].sort((a, b) => (a.applicationId < b.applicationId ? -1 : 1));

describe("which applications are delivered", () => {
  it("is the same for proxies and for Kubernetes/Git targets, with the same reasons", async () => {
    const delivered = await paymentsApp(cast);
    await createPolicyFixture(db, {
      kind: "application",
      application: delivered,
      authorId: cast.ids.lead,
      officerId: cast.ids.officer,
      versions: [{ state: "published", content: applicationDocument(delivered.slug, { denyRules: { sqli: { level: "strict" } } }) }],
    });
    const baselineOnly = await paymentsApp(cast);
    const exposed = await paymentsApp(cast, { exposure: "internet" });
    const archived = await paymentsApp(cast);
    const applicationIds = [delivered.id, baselineOnly.id, exposed.id, archived.id];

    const proxy = await call({
      method: "POST",
      path: "/api/v1/delivery/targets",
      cookie: cast.cookies.officer,
      body: { kind: "proxy", name: "same-rule-gw", mode: "gateway", applicationIds },
    });
    const git = await call({
      method: "POST",
      path: "/api/v1/delivery/targets",
      cookie: cast.cookies.officer,
      body: { kind: "git", name: "same-rule-git", repository: "https://git.example.com/same-rule.git", branch: "main", applicationIds },
    });
    expect([proxy.status, git.status]).toEqual([201, 201]);
    // Archived after it joined the targets (an archived application cannot join one).
    await db.application.update({ where: { id: archived.id }, data: { archivedAt: new Date() } });

    const desired = await buildDeliverySet({ targetId: proxy.body.id });
    const rendered = await renderTargetResources({ targetId: git.body.id });

    expect(byId(desired.applications).map((a) => [a.applicationId, a.contentHash])).toEqual(
      byId(rendered.sources).map((s) => [s.applicationId, s.contentHash]),
    );
    expect(desired.applications.map((a) => a.applicationId).sort()).toEqual([delivered.id, baselineOnly.id].sort());
    expect(byId(desired.excluded)).toEqual(byId(rendered.excluded));
    expect(Object.fromEntries(desired.excluded.map((e) => [e.applicationId, e.reason]))).toEqual({
      [exposed.id]: `${exposed.slug} is exposed to the internet and has no fine-grained policy: publish an application policy with rules of its own, or have a security officer record a risk acceptance.`,
      [archived.id]: "The application is archived.",
    });
  });
});
