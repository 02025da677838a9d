// Delivery to a Kubernetes target through the portal's API, against the test API server
// (tests/kube-api-server) driven by @kubernetes/client-node: plan (server-side dry-run
// diff), apply (server-side apply), a second plan with nothing to do, drift after an
// out-of-band change by another field manager and re-apply with force, the cluster's
// failures as problem+json with nothing recorded, and a publication after the plan (409).
import type { KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { stopDeliveryListener } from "@/lib/delivery/delivery-listener";
import { createKubeClient, FIELD_MANAGER, PatchStrategy } from "@/lib/kubernetes/cluster/kube-client";
import { sweepKubernetesDrift } from "@/lib/kubernetes/delivery/sweep-kubernetes-drift";
import { startKubeApiServer, type TestKubeApiServer } from "../../kube-api-server/start-kube-api-server";
import { applicationDocument, createPolicyFixture } from "../policies/policy-fixtures";
import { call, createCast, paymentsApp, type Cast } from "../policies/policy-test-kit";

let cast: Cast;
let kube: TestKubeApiServer;
let app: { id: string; slug: string };
let appPolicy: { policy: { id: string }; versions: { id: string; version: number }[] };

const LIMITED_TOKEN = "rampart-test-limited-token";

beforeAll(async () => {
  kube = await startKubeApiServer({ tls: true, tokens: { [LIMITED_TOKEN]: { user: "system:serviceaccount:rampart:deployer", namespaces: ["payments"] } } });
  // Rampart delivers into namespaces the platform team made; it does not create them.
  const { objects } = createKubeClient(kube.kubeconfig);
  for (const name of ["payments", "other"]) await objects.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } } as KubernetesObject);
  cast = await createCast();
  await createPolicyFixture(db, { kind: "baseline", authorId: cast.ids.officer, versions: [{ state: "published" }] });
  app = await paymentsApp(cast);
  // Version 1 is published; version 2 is approved, to be published while a plan waits.
  appPolicy = await createPolicyFixture(db, {
    kind: "application",
    application: app,
    authorId: cast.ids.lead,
    officerId: cast.ids.officer2,
    versions: [
      { state: "published", content: applicationDocument(app.slug, { limits: { maxBodyBytes: 65536 } }) },
      { state: "approved", content: applicationDocument(app.slug, { limits: { maxBodyBytes: 32768 } }) },
    ],
  });
});
afterAll(async () => {
  await kube?.stop();
  await stopDeliveryListener();
});

async function kubernetesTarget(options: { kubeconfig?: string; namespaces?: string[]; renders?: string[]; applicationIds?: string[] } = {}) {
  const created = await call({
    method: "POST",
    path: "/api/v1/delivery/targets",
    cookie: cast.cookies.officer,
    body: {
      kind: "kubernetes",
      name: `cluster-${Math.random().toString(36).slice(2, 8)}`,
      kubeconfig: options.kubeconfig ?? kube.kubeconfig,
      namespaces: options.namespaces ?? ["payments"],
      renders: options.renders ?? ["rampart", "rbac"],
      applicationIds: options.applicationIds ?? [app.id],
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

const plan = (targetId: string, cookie = cast.cookies.officer) =>
  call({ method: "POST", path: `/api/v1/delivery/targets/${targetId}/kubernetes/plans`, cookie });
const apply = (targetId: string, planId: string, cookie = cast.cookies.officer) =>
  call({ method: "POST", path: `/api/v1/delivery/targets/${targetId}/kubernetes/plans/${planId}/apply`, cookie });
const checkDrift = (targetId: string) =>
  call({ method: "POST", path: `/api/v1/delivery/targets/${targetId}/kubernetes/drift-checks`, cookie: cast.cookies.officer });
const reapply = (targetId: string) => call({ method: "POST", path: `/api/v1/delivery/targets/${targetId}/kubernetes/reapply`, cookie: cast.cookies.officer });

/** The RampartPolicy of the application as the cluster holds it, read through client-node. */
async function readPolicyResource(): Promise<Record<string, any>> {
  const { objects } = createKubeClient(kube.kubeconfig);
  const object = await objects.read<KubernetesObject>({
    apiVersion: "rampart.dev/v1alpha1",
    kind: "RampartPolicy",
    metadata: { name: app.slug, namespace: "payments" },
  });
  return JSON.parse(JSON.stringify(object)) as Record<string, any>;
}

describe("plan, apply, drift, re-apply", () => {
  let targetId: string;

  it("a plan shows the server-side dry-run diff of every rendered resource and stores nothing in the cluster", async () => {
    targetId = await kubernetesTarget();
    const planned = await plan(targetId);
    expect(planned.status, JSON.stringify(planned.body)).toBe(201);
    const kinds = planned.body.changes.map((c: { ref: { kind: string } }) => c.ref.kind);
    expect(kinds).toEqual(expect.arrayContaining(["CustomResourceDefinition", "Role", "RoleBinding", "RampartPolicy"]));
    expect(planned.body.changes.every((c: { change: string }) => c.change === "create")).toBe(true);
    expect(planned.body.summary.create).toBe(planned.body.changes.length);
    const policy = planned.body.changes.find((c: { ref: { kind: string } }) => c.ref.kind === "RampartPolicy");
    expect(policy.ref).toMatchObject({ namespace: "payments", name: app.slug, application: app.slug });
    expect(policy.text).toContain("+");
    expect(policy.text).toContain("contentHash");
    // The RampartPolicy's kind comes with the plan's own CRD: it is shown, and validated on apply.
    expect(policy.note).toMatch(/CustomResourceDefinition rampartpolicies\.rampart\.dev/);
    expect(planned.body.sources).toEqual([
      expect.objectContaining({ applicationId: app.id, applicationVersion: { id: appPolicy.versions[0]!.id, number: 1 } }),
    ]);
    expect(planned.body.renderedHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    // A dry run writes nothing.
    expect(kube.server.peek("rampart.dev/v1alpha1", "RampartPolicy", "payments", app.slug)).toBeNull();
    expect(kube.server.peek("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "rampartpolicies.rampart.dev")).toBeNull();

    const read = await call({ method: "GET", path: `/api/v1/delivery/targets/${targetId}/kubernetes/plans/${planned.body.id}`, cookie: cast.cookies.auditor });
    expect(read.status).toBe(200);
    expect(read.body.current).toBe(true);
    expect(read.body.resources).toHaveLength(planned.body.changes.length);
  });

  it("apply creates the resources with server-side apply (field manager rampart), with per-resource results, audited", async () => {
    const { body: latest } = await call({ method: "GET", path: `/api/v1/delivery/targets/${targetId}/kubernetes`, cookie: cast.cookies.officer });
    const applied = await apply(targetId, latest.latestPlan.id);
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    expect(applied.body.outcome).toBe("applied");
    expect(applied.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(applied.body.results.map(() => "created"));

    const live = await readPolicyResource();
    expect(live.spec.applicationId).toBe(app.id);
    expect(live.spec.bundle.contentHash).toBe(latest.latestPlan.sources[0].contentHash);
    expect(live.metadata.labels["app.kubernetes.io/managed-by"]).toBe("rampart");
    expect(live.metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`)).toContain(`${FIELD_MANAGER}/Apply`);

    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "delivery.kubernetes.apply", targetId } });
    expect(audit.actorId).toBe(cast.ids.officer);
    const summary = audit.summary as any;
    expect(summary.versions).toEqual([
      expect.objectContaining({ application: app.slug, applicationVersion: 1, applicationVersionId: appPolicy.versions[0]!.id }),
    ]);
    expect(summary.results).toContainEqual({ resource: `RampartPolicy payments/${app.slug}`, outcome: "created" });
  });

  it("a second plan has nothing to change", async () => {
    const again = await plan(targetId);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.changes.map((c: { change: string }) => c.change)).toEqual(again.body.changes.map(() => "unchanged"));
    expect(again.body.summary).toMatchObject({ create: 0, update: 0 });
  });

  it("a change by another field manager shows as drift; re-apply with force puts Rampart's fields back", async () => {
    const inSync = await checkDrift(targetId);
    expect(inSync.status, JSON.stringify(inSync.body)).toBe(201);
    expect(inSync.body.state).toBe("in-sync");

    // Someone edits the resource out of band, taking the field over.
    const { objects } = createKubeClient(kube.kubeconfig);
    await objects.patch(
      {
        apiVersion: "rampart.dev/v1alpha1",
        kind: "RampartPolicy",
        metadata: { name: app.slug, namespace: "payments", annotations: { "rampart.dev/content-hash": "sha256:tampered" } },
      } as KubernetesObject,
      undefined,
      undefined,
      "kubectl-edit",
      true,
      PatchStrategy.ServerSideApply,
    );

    const drifted = await checkDrift(targetId);
    expect(drifted.status).toBe(201);
    expect(drifted.body.state).toBe("drifted");
    const entry = drifted.body.results.find((r: { ref: { kind: string } }) => r.ref.kind === "RampartPolicy");
    expect(entry.state).toBe("drifted");
    expect(entry.changedBy).toEqual(["kubectl-edit"]);
    expect(entry.changes[0]).toMatchObject({ before: "sha256:tampered" });
    expect(drifted.body.results.filter((r: { state: string }) => r.state !== "in-sync")).toHaveLength(1);
    const audited = await db.auditEvent.findFirstOrThrow({ where: { action: "delivery.kubernetes.drift-check", targetId }, orderBy: { createdAt: "desc" } });
    expect(audited.summary).toMatchObject({ state: "drifted", drifted: [`RampartPolicy payments/${app.slug}: drifted`] });

    // A new plan cannot take the field back without force: it says so.
    const blocked = await plan(targetId);
    expect(blocked.status).toBe(409);
    expect(blocked.body.reason).toBe("cluster-conflict");
    expect(blocked.body.detail).toMatch(/re-apply/i);

    const restored = await reapply(targetId);
    expect(restored.status, JSON.stringify(restored.body)).toBe(201);
    expect(restored.body.apply.kind).toBe("reapply");
    expect(restored.body.apply.outcome).toBe("applied");
    expect(restored.body.driftCheck.state).toBe("in-sync");
    expect((await readPolicyResource()).metadata.annotations["rampart.dev/content-hash"]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await db.auditEvent.count({ where: { action: "delivery.kubernetes.reapply", targetId } })).toBe(1);

    const status = await call({ method: "GET", path: `/api/v1/delivery/targets/${targetId}/kubernetes`, cookie: cast.cookies.lead });
    expect(status.status).toBe(200);
    expect(status.body.latestDriftCheck.state).toBe("in-sync");
    expect(status.body.latestApply.kind).toBe("reapply");
  });

  it("the periodic sweep checks drift for every applied target, as the system", async () => {
    const result = await sweepKubernetesDrift({ minAgeMs: 0 });
    expect(result.swept).toBe(true);
    expect(result.checked).toContainEqual({ targetId, state: "in-sync" });
    const check = await db.kubernetesDriftCheck.findFirstOrThrow({ where: { targetId, trigger: "scheduled" } });
    expect(check.checkedById).toBeNull();
    // A check younger than minAgeMs is not repeated (replicas tick one after another).
    expect((await sweepKubernetesDrift({ minAgeMs: 60_000 })).checked.map((c) => c.targetId)).not.toContain(targetId);
  });

  it("a publication after the plan makes the plan stale (409); a new plan shows the update and applies", async () => {
    const waiting = await plan(targetId);
    expect(waiting.status).toBe(201);
    const published = await call({
      method: "POST",
      path: `/api/v1/policies/${appPolicy.policy.id}/versions/${appPolicy.versions[1]!.id}/publish`,
      cookie: cast.cookies.officer,
      headers: { "if-match": `"${appPolicy.versions[1]!.version}"` },
    });
    expect(published.status, JSON.stringify(published.body)).toBe(200);

    const refused = await apply(targetId, waiting.body.id);
    expect(refused.status).toBe(409);
    expect(refused.body.reason).toBe("plan-outdated");
    expect(refused.body.planned).toEqual([expect.objectContaining({ applicationVersion: 1 })]);
    expect(refused.body.published).toEqual([expect.objectContaining({ applicationVersion: 2 })]);
    expect(await db.kubernetesApply.count({ where: { planId: waiting.body.id } })).toBe(0);

    const fresh = await plan(targetId);
    expect(fresh.status).toBe(201);
    const update = fresh.body.changes.find((c: { ref: { kind: string } }) => c.ref.kind === "RampartPolicy");
    expect(update.change).toBe("update");
    expect(update.changes.map((c: { path: string }) => c.path)).toContain("spec.bundle.contentHash");
    const applied = await apply(targetId, fresh.body.id);
    expect(applied.status).toBe(201);
    expect(applied.body.results.find((r: { ref: { kind: string } }) => r.ref.kind === "RampartPolicy").outcome).toBe("configured");
    expect((await readPolicyResource()).spec.bundle.contentHash).toBe(fresh.body.sources[0].contentHash);
  });

  it("with the cluster down: a clear 503, no plan and no apply recorded", async () => {
    const ready = await plan(targetId);
    expect(ready.status).toBe(201);
    const plans = await db.kubernetesPlan.count({ where: { targetId } });
    const applies = await db.kubernetesApply.count({ where: { targetId } });
    await kube.server.down();
    try {
      const planned = await plan(targetId);
      expect(planned.status).toBe(503);
      expect(planned.headers.get("content-type")).toBe("application/problem+json");
      expect(planned.body.reason).toBe("cluster-unreachable");
      expect(planned.body.detail).toMatch(/cannot reach https:\/\/127\.0\.0\.1:\d+/);

      const applied = await apply(targetId, ready.body.id);
      expect(applied.status).toBe(503);
      expect(applied.body.reason).toBe("cluster-unreachable");
    } finally {
      await kube.server.up();
    }
    expect(await db.kubernetesPlan.count({ where: { targetId } })).toBe(plans);
    expect(await db.kubernetesApply.count({ where: { targetId } })).toBe(applies);
  });
});

describe("a cluster that goes down mid-rollout", () => {
  it("records which resources were applied and which were not, in one consistent record", async () => {
    const targetId = await kubernetesTarget();
    const planned = await plan(targetId);
    expect(planned.status, JSON.stringify(planned.body)).toBe(201);
    // Two server-side applies get through, then the API server goes away.
    kube.server.downAfter(2, (request) => request.method === "PATCH");
    let applied;
    try {
      applied = await apply(targetId, planned.body.id);
    } finally {
      kube.server.clearFaults();
      await kube.server.up();
    }
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    expect(applied.body.outcome).toBe("partial");
    const outcomes = applied.body.results.map((r: { outcome: string }) => r.outcome);
    // Created on a fresh cluster, unchanged when the describe above ran first.
    expect(outcomes.slice(0, 2).every((o: string) => o === "created" || o === "unchanged")).toBe(true);
    expect(outcomes[2]).toBe("failed");
    expect(outcomes.slice(3).every((o: string) => o === "skipped")).toBe(true);
    expect(applied.body.results[2].error.kind).toBe("unreachable");

    const record = await db.kubernetesApply.findUniqueOrThrow({ where: { id: applied.body.id } });
    expect(record.outcome).toBe("partial");
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "delivery.kubernetes.apply", targetId } });
    expect(audit.outcome).toBe("failure");
  });
});

describe("the cluster's refusals are problem+json naming the cause", () => {
  it("a namespace that does not exist", async () => {
    const targetId = await kubernetesTarget({ namespaces: ["nowhere"], renders: ["rbac"] });
    const planned = await plan(targetId);
    expect(planned.status).toBe(409);
    expect(planned.body.reason).toBe("cluster-not-found");
    expect(planned.body.detail).toMatch(/namespaces "nowhere" not found.*Create the namespaces/);
  });

  it("expired or invalid credentials (401)", async () => {
    const targetId = await kubernetesTarget({ kubeconfig: kube.kubeconfigFor("an-expired-token") });
    const planned = await plan(targetId);
    expect(planned.status).toBe(409);
    expect(planned.body.reason).toBe("cluster-unauthorized");
    expect(planned.body.detail).toMatch(/refused the credentials \(401 Unauthorized\).*kubeconfig/);
    expect(await db.kubernetesPlan.count({ where: { targetId } })).toBe(0);
  });

  it("a missing CRD (Kyverno not installed)", async () => {
    const targetId = await kubernetesTarget({ renders: ["kyverno"] });
    const planned = await plan(targetId);
    expect(planned.status).toBe(409);
    expect(planned.body.reason).toBe("cluster-missing-kind");
    expect(planned.body.detail).toMatch(/kyverno\.io\/v1 \(ClusterPolicy\)/);
    expect(planned.body.resource).toMatchObject({ kind: "ClusterPolicy" });
  });

  it("a forbidden namespace (403)", async () => {
    const targetId = await kubernetesTarget({ kubeconfig: kube.kubeconfigFor(LIMITED_TOKEN), namespaces: ["other"], renders: ["rbac"] });
    const planned = await plan(targetId);
    expect(planned.status).toBe(409);
    expect(planned.body.reason).toBe("cluster-forbidden");
    expect(planned.body.detail).toMatch(/403 Forbidden.*"other"/);
    expect(planned.body.resource).toMatchObject({ namespace: "other" });
  });
});

describe("who may do what", () => {
  it("another team's reader does not see the target; a team reader cannot plan", async () => {
    const targetId = await kubernetesTarget();
    const foreign = await call({ method: "GET", path: `/api/v1/delivery/targets/${targetId}/kubernetes`, cookie: cast.cookies.storefrontDeveloper });
    expect(foreign.status).toBe(404);
    const own = await call({ method: "GET", path: `/api/v1/delivery/targets/${targetId}/kubernetes`, cookie: cast.cookies.developer });
    expect(own.status).toBe(200);
    expect(own.body.latestPlan).toBeNull();
    const denied = await plan(targetId, cast.cookies.lead);
    expect(denied.status).toBe(403);
  });

  it("a team's reader sees their own applications' resources of a shared target, and the shared ones", async () => {
    const storefrontApp = await paymentsApp(cast, { teamId: cast.storefront.id });
    const targetId = await kubernetesTarget({ applicationIds: [app.id, storefrontApp.id] });
    expect((await plan(targetId)).status).toBe(201);
    const seen = await call({ method: "GET", path: `/api/v1/delivery/targets/${targetId}/kubernetes`, cookie: cast.cookies.storefrontDeveloper });
    expect(seen.status).toBe(200);
    const policies = seen.body.latestPlan.changes
      .filter((c: { ref: { kind: string } }) => c.ref.kind === "RampartPolicy")
      .map((c: { ref: { name: string } }) => c.ref.name);
    expect(policies).toEqual([storefrontApp.slug]);
    expect(seen.body.latestPlan.changes.some((c: { ref: { kind: string } }) => c.ref.kind === "CustomResourceDefinition")).toBe(true);
    expect(seen.body.latestPlan.sources.map((s: { slug: string }) => s.slug)).toEqual([storefrontApp.slug]);
    const all = await call({ method: "GET", path: `/api/v1/delivery/targets/${targetId}/kubernetes`, cookie: cast.cookies.auditor });
    expect(all.body.latestPlan.sources).toHaveLength(2);
  });

  it("a plan of another target cannot be applied through this one", async () => {
    const a = await kubernetesTarget();
    const b = await kubernetesTarget();
    const planned = await plan(a);
    expect(planned.status).toBe(201);
    expect((await apply(b, planned.body.id)).status).toBe(404);
  });
});
