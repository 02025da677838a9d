// lib/kubernetes/cluster against the test API server over HTTPS, through
// @kubernetes/client-node only: per-resource apply results, dry run, the diff
// shown before an apply, drift after an out-of-band change and its repair
// with force, and every failure the portal has to explain (conflict, invalid
// object, bad token, forbidden namespace, missing CRD, unreachable cluster,
// a server that goes down in the middle of a rollout).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyResources } from "@/lib/kubernetes/cluster/apply-resources";
import { detectDrift } from "@/lib/kubernetes/cluster/detect-drift";
import { diffResources } from "@/lib/kubernetes/cluster/diff-resources";
import type { ClusterResource } from "@/lib/kubernetes/cluster/resource-ref";
import { gatekeeperDenial, kyvernoDenial } from "@/tests/kube-api-server/admission-webhooks";
import { startKubeApiServer, type TestKubeApiServer } from "@/tests/kube-api-server/start-kube-api-server";
import { namespace, rampartPolicy, rampartPolicyCrd, testBundle } from "@/tests/kube-api-server/fixtures";

let kube: TestKubeApiServer;
const fast = { attempts: 6, baseDelayMs: 50, maxDelayMs: 400 };

beforeAll(async () => {
  kube = await startKubeApiServer({ tls: true, tokens: { "payments-only": { user: "system:serviceaccount:payments:rampart", namespaces: ["payments"] } } });
});

afterAll(async () => {
  await kube.stop();
});

function role(ns: string): ClusterResource {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: "rampart-policy-editors", namespace: ns, labels: { "app.kubernetes.io/managed-by": "rampart" } },
    rules: [{ apiGroups: ["rampart.dev"], resources: ["rampartpolicies"], verbs: ["get", "list", "watch", "patch"] }],
  };
}

function roleBinding(ns: string): ClusterResource {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: "rampart-policy-editors", namespace: ns, labels: { "app.kubernetes.io/managed-by": "rampart" } },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "rampart-policy-editors" },
    subjects: [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "payments-leads" }],
  };
}

function configMap(ns: string, name: string, data: Record<string, string>): ClusterResource {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: ns, labels: { "app.kubernetes.io/managed-by": "rampart" } }, data };
}

/** An edit made outside Rampart (kubectl edit / patch), as a raw merge patch by another field manager. */
async function editOutOfBand(path: string, patch: unknown, manager = "kubectl-edit"): Promise<void> {
  const answer = await kube.request("PATCH", `${path}?fieldManager=${manager}`, { body: patch, contentType: "application/merge-patch+json" });
  expect(answer.status).toBe(200);
}

describe("applyResources", () => {
  const resources = (): ClusterResource[] => [
    rampartPolicy({ namespace: "payments" }),
    roleBinding("payments"),
    role("payments"),
    namespace("payments"),
    rampartPolicyCrd(),
    configMap("payments", "rampart-settings", { mode: "enforce" }),
  ];

  it("applies in dependency order and reports each resource created, then unchanged on a re-apply", async () => {
    const first = await applyResources({ kubeconfig: kube.kubeconfig, resources: resources(), dryRun: false, retry: fast });
    expect(first.ok).toBe(true);
    expect(first.results.map((r) => [r.ref.kind, r.outcome])).toEqual([
      ["CustomResourceDefinition", "created"],
      ["Namespace", "created"],
      ["Role", "created"],
      ["RoleBinding", "created"],
      ["ConfigMap", "created"],
      ["RampartPolicy", "created"],
    ]);
    expect(first.results.every((r) => r.resourceVersion !== null && r.error === null)).toBe(true);
    const stored = kube.server.peek("rampart.dev/v1alpha1", "RampartPolicy", "payments", "payments-api")!;
    expect((stored.metadata as { managedFields: Array<{ manager: string; operation: string }> }).managedFields).toEqual([
      expect.objectContaining({ manager: "rampart", operation: "Apply" }),
    ]);
    // The CRD's x-kubernetes-* keywords survive client-node's typed models (they would be dropped without the wire conversion).
    expect(JSON.stringify(kube.server.peek("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "rampartpolicies.rampart.dev"))).toContain(
      "x-kubernetes-",
    );

    const again = await applyResources({ kubeconfig: kube.kubeconfig, resources: resources(), dryRun: false, retry: fast });
    expect(again.results.map((r) => r.outcome)).toEqual(Array(6).fill("unchanged"));
    expect(again.results.map((r) => r.resourceVersion)).toEqual(first.results.map((r) => r.resourceVersion));
  });

  it("dry run answers what would happen and stores nothing", async () => {
    const count = kube.server.objectCount;
    const rv = kube.server.resourceVersion;
    const changed = rampartPolicy({ namespace: "payments", bundle: testBundle({ blockPath: "/internal" }) });
    const result = await applyResources({
      kubeconfig: kube.kubeconfig,
      resources: [namespace("dry-run"), changed, configMap("payments", "rampart-settings", { mode: "enforce" })],
      dryRun: true,
      retry: fast,
    });
    expect(result.dryRun).toBe(true);
    // The namespace does not exist yet, so a dry run of anything inside it would 404: only cluster-level and existing namespaces here.
    expect(result.results.map((r) => [r.ref.kind, r.outcome])).toEqual([
      ["Namespace", "created"],
      ["ConfigMap", "unchanged"],
      ["RampartPolicy", "configured"],
    ]);
    expect(result.results.every((r) => r.resourceVersion === null)).toBe(true);
    expect(kube.server.objectCount).toBe(count);
    expect(kube.server.resourceVersion).toBe(rv);
    expect(kube.server.peek("v1", "Namespace", null, "dry-run")).toBeNull();
  });

  it("reports an invalid object as 422 with the server's causes and field paths, and goes on with the rest", async () => {
    const bad = rampartPolicy({ namespace: "payments", application: "second-app" });
    (bad.spec as { application: string }).application = "Not_A_Slug";
    const result = await applyResources({
      kubeconfig: kube.kubeconfig,
      resources: [bad, configMap("payments", "after-the-bad-one", { a: "b" })],
      dryRun: false,
      retry: fast,
    });
    expect(result.ok).toBe(false);
    const [configMapResult, policyResult] = result.results;
    expect(configMapResult).toMatchObject({ outcome: "created" });
    expect(policyResult).toMatchObject({ outcome: "failed", attempts: 2, error: { kind: "invalid", status: 422 } });
    expect(policyResult!.error!.causes).toContainEqual(expect.objectContaining({ field: "spec.application", reason: "FieldValueInvalid" }));
    expect(policyResult!.error!.message).toMatch(/RampartPolicy payments\/second-app is invalid \(422\)/);
  });

  it("retries transient 503s and 429s with backoff and succeeds", async () => {
    kube.server.failNext(1, 503, (r) => r.method === "PATCH");
    kube.server.failNext(1, 429, (r) => r.method === "PATCH");
    const result = await applyResources({
      kubeconfig: kube.kubeconfig,
      resources: [configMap("payments", "flaky", { a: "1" })],
      dryRun: false,
      retry: { attempts: 5, baseDelayMs: 20, maxDelayMs: 1500 },
    });
    expect(result.results[0]).toMatchObject({ outcome: "created", error: null });
    // One read, two refused applies (each waited the 1 s Retry-After the server asked for), the third went through.
    expect(result.results[0]!.attempts).toBe(4);
  });

  it("gives up after the configured attempts with a transient error", async () => {
    kube.server.failNext(10, 500, (r) => r.method === "PATCH");
    const result = await applyResources({
      kubeconfig: kube.kubeconfig,
      resources: [configMap("payments", "broken-server", { a: "1" })],
      dryRun: false,
      retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 20 },
    });
    expect(result.results[0]).toMatchObject({ outcome: "failed", error: { kind: "transient", status: 500 } });
    // Leave no armed faults behind for the next test.
    kube.server.clearFaults();
  });
});

describe("a rollout across an API server outage", () => {
  it("retries through a server that goes down mid-rollout and comes back", async () => {
    const batch = ["a", "b", "c"].map((n) => configMap("payments", `outage-${n}`, { n }));
    // The first apply is served, then the server goes down; it comes back once the client
    // was refused twice (each refusal draws the jitter of the wait before the next attempt).
    kube.server.downAfter(1, (r) => r.method === "PATCH");
    let refusals = 0;
    const random = () => {
      if (++refusals === 2) void kube.server.up();
      return 1;
    };
    const done = await applyResources({
      kubeconfig: kube.kubeconfig,
      resources: batch,
      dryRun: false,
      retry: { attempts: 8, baseDelayMs: 100, maxDelayMs: 400, random },
    });
    expect(done.ok).toBe(true);
    expect(done.results.map((r) => r.outcome)).toEqual(["created", "created", "created"]);
    expect(done.results[1]!.attempts).toBeGreaterThan(2);
  });

  it("reports the cluster unreachable when it stays down, and skips the rest", async () => {
    const batch = ["d", "e", "f"].map((n) => configMap("payments", `outage-${n}`, { n }));
    kube.server.downAfter(1, (r) => r.method === "PATCH");
    const result = await applyResources({
      kubeconfig: kube.kubeconfig,
      resources: batch,
      dryRun: false,
      retry: { attempts: 3, baseDelayMs: 20, maxDelayMs: 50 },
    });
    await kube.server.up();
    expect(result.results.map((r) => r.outcome)).toEqual(["created", "failed", "skipped"]);
    expect(result.results[1]!.error).toMatchObject({ kind: "unreachable", status: null });
    expect(result.results[1]!.error!.message).toMatch(/cannot reach https:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(result.results[2]!.error!.kind).toBe("unreachable");
  });
});

describe("failures the cluster decides", () => {
  it("a bad token: 401 for the first resource, the rest skipped", async () => {
    const result = await applyResources({
      kubeconfig: kube.kubeconfigFor("expired-token"),
      resources: [configMap("payments", "x", { a: "b" }), configMap("payments", "y", { a: "b" })],
      dryRun: false,
      retry: fast,
    });
    expect(result.results.map((r) => r.outcome)).toEqual(["failed", "skipped"]);
    expect(result.results[0]!.error).toMatchObject({ kind: "unauthorized", status: 401 });
    expect(result.results[0]!.error!.message).toMatch(/refused the credentials \(401 Unauthorized\)/);
  });

  it("a forbidden namespace: 403 for that resource only", async () => {
    const result = await applyResources({
      kubeconfig: kube.kubeconfigFor("payments-only", "payments"),
      resources: [configMap("default", "elsewhere", { a: "b" }), configMap("payments", "allowed", { a: "b" })],
      dryRun: false,
      retry: fast,
    });
    expect(result.results.map((r) => [r.ref.namespace, r.outcome])).toEqual([
      ["default", "failed"],
      ["payments", "created"],
    ]);
    expect(result.results[0]!.error).toMatchObject({ kind: "forbidden", status: 403 });
    expect(result.results[0]!.error!.message).toContain('cannot get resource "configmaps" in API group "" in the namespace "default"');
  });

  it("a missing CRD: the kind is not served", async () => {
    const airlock = { apiVersion: "microgateway.airlock.com/v1alpha1", kind: "DenyRules", metadata: { name: "payments", namespace: "payments" }, spec: {} };
    const result = await applyResources({ kubeconfig: kube.kubeconfig, resources: [airlock], dryRun: false, retry: fast });
    expect(result.results[0]).toMatchObject({ outcome: "failed", attempts: 1, error: { kind: "missing-kind", status: 404 } });
    expect(result.results[0]!.error!.message).toMatch(
      /does not serve microgateway\.airlock\.com\/v1alpha1 \(DenyRules\): install its CustomResourceDefinition first/,
    );
  });

  it("an admission policy's denial, Kyverno's 400 or Gatekeeper's 403, is a policy rejection with its message, not a permission problem", async () => {
    const remove = kube.server.registerWebhook({
      name: "validation.gatekeeper.sh",
      review: (request) =>
        request.name === "weak"
          ? gatekeeperDenial([{ constraint: "rampart-baseline", message: "deny rules for sqli are at level basic, below the baseline floor standard" }])
          : null,
    });
    const gatekeeper = await applyResources({
      kubeconfig: kube.kubeconfig,
      resources: [configMap("payments", "weak", { a: "b" }), configMap("payments", "fine", { a: "b" })],
      dryRun: true,
      retry: fast,
    });
    remove();
    expect(gatekeeper.results.map((r) => r.outcome)).toEqual(["failed", "created"]);
    // One read and one apply: a denial is not retried.
    expect(gatekeeper.results[0]).toMatchObject({ attempts: 2, error: { kind: "policy-rejected", status: 403 } });
    expect(gatekeeper.results[0]!.error!.message).toBe(
      "ConfigMap payments/weak was refused by the cluster's admission policy (webhook validation.gatekeeper.sh, 403): [rampart-baseline] deny rules for sqli are at level basic, below the baseline floor standard",
    );
    const removeKyverno = kube.server.registerWebhook({
      name: "validate.kyverno.svc-fail",
      review: (request) => kyvernoDenial(request, [{ policy: "rampart-baseline", rule: "rampart-deny-rule-floors", message: "validation error: too weak" }]),
    });
    const kyverno = await applyResources({ kubeconfig: kube.kubeconfig, resources: [configMap("payments", "weak", { a: "b" })], dryRun: true, retry: fast });
    removeKyverno();
    expect(kyverno.results[0]!.error).toMatchObject({ kind: "policy-rejected", status: 400 });
    expect(kyverno.results[0]!.error!.message).toContain("rampart-baseline: rampart-deny-rule-floors: 'validation error: too weak'");
  });

  it("an unreachable cluster and an untrusted certificate", async () => {
    const closed = kube.kubeconfig.replace(/127\.0\.0\.1:\d+/, "127.0.0.1:9");
    const down = await applyResources({
      kubeconfig: closed,
      resources: [configMap("payments", "x", { a: "b" })],
      dryRun: false,
      retry: { attempts: 2, baseDelayMs: 10 },
    });
    expect(down.results[0]!.error).toMatchObject({ kind: "unreachable" });
    const untrusted = kube.kubeconfig.replace(/certificate-authority-data: .*/, "");
    const tls = await applyResources({ kubeconfig: untrusted, resources: [configMap("payments", "x", { a: "b" })], dryRun: false, retry: fast });
    expect(tls.results[0]!.error).toMatchObject({ kind: "tls" });
    const garbage = await applyResources({ kubeconfig: "clusters: [", resources: [configMap("payments", "x", { a: "b" })], dryRun: false });
    expect(garbage.results[0]).toMatchObject({ outcome: "skipped", error: { kind: "invalid-kubeconfig" } });
  });
});

describe("diff, drift and re-apply", () => {
  const policy = () => rampartPolicy({ namespace: "payments", application: "storefront" });
  const policyPath = "/apis/rampart.dev/v1alpha1/namespaces/payments/rampartpolicies/storefront";

  it("diffs before applying: create, none, then the changed fields and a readable unified diff", async () => {
    const created = await diffResources({ kubeconfig: kube.kubeconfig, resources: [policy()], retry: fast });
    expect(created.diffs[0]).toMatchObject({ change: "create", changes: [] });
    expect(created.diffs[0]!.text).toMatch(/^--- live\n\+\+\+ rampart\n@@ -0,0 \+1,\d+ @@\n\+apiVersion: rampart.dev\/v1alpha1/);
    expect(kube.server.peek("rampart.dev/v1alpha1", "RampartPolicy", "payments", "storefront")).toBeNull();

    await applyResources({ kubeconfig: kube.kubeconfig, resources: [policy()], dryRun: false, retry: fast });
    expect((await diffResources({ kubeconfig: kube.kubeconfig, resources: [policy()], retry: fast })).diffs[0]).toMatchObject({
      change: "none",
      changes: [],
      text: "",
    });

    const next = rampartPolicy({ namespace: "payments", application: "storefront", bundle: testBundle({ blockPath: "/internal" }) });
    const update = (await diffResources({ kubeconfig: kube.kubeconfig, resources: [next], retry: fast })).diffs[0]!;
    expect(update.change).toBe("update");
    expect(update.changes).toContainEqual(
      expect.objectContaining({
        path: "spec.bundle.contentHash",
        change: "changed",
        after: (next.spec as { bundle: { contentHash: string } }).bundle.contentHash,
      }),
    );
    expect(update.changes).toContainEqual(expect.objectContaining({ path: "spec.bundle.adminBlocking[0].value", before: "/.env", after: "/internal" }));
    expect(update.text).toContain("-        value: /.env\n");
    expect(update.text).toContain("+        value: /internal\n");
    expect(update.text).not.toContain("managedFields");
    expect(update.text).not.toContain("resourceVersion");
  });

  it("detects an out-of-band change, names who made it, refuses a plain re-apply (conflict) and repairs with force", async () => {
    expect((await detectDrift({ kubeconfig: kube.kubeconfig, applied: [policy()] })).results[0]).toMatchObject({ state: "in-sync", changes: [] });

    await editOutOfBand(policyPath, { spec: { application: "hijacked" }, metadata: { labels: { extra: "theirs" } } });
    const drift = await detectDrift({ kubeconfig: kube.kubeconfig, applied: [policy()] });
    expect(drift.ok).toBe(false);
    expect(drift.results[0]).toMatchObject({
      state: "drifted",
      changes: [{ path: "spec.application", change: "changed", before: "hijacked", after: "storefront" }],
      changedBy: ["kubectl-edit"],
    });
    expect(drift.results[0]!.text).toContain("-  application: hijacked");

    const diff = await diffResources({ kubeconfig: kube.kubeconfig, resources: [policy()], retry: fast });
    expect(diff.diffs[0]).toMatchObject({ change: "error", error: { kind: "conflict", status: 409 } });

    const plain = await applyResources({ kubeconfig: kube.kubeconfig, resources: [policy()], dryRun: false, retry: fast });
    expect(plain.results[0]).toMatchObject({ outcome: "failed", error: { kind: "conflict", status: 409 } });
    expect(plain.results[0]!.error!.causes).toEqual([
      { field: ".spec.application", reason: "FieldManagerConflict", message: 'conflict with "kubectl-edit" using rampart.dev/v1alpha1' },
    ]);
    expect(plain.results[0]!.error!.message).toMatch(/re-apply with force/);

    const forced = await applyResources({ kubeconfig: kube.kubeconfig, resources: [policy()], dryRun: false, force: true, retry: fast });
    expect(forced.results[0]).toMatchObject({ outcome: "configured", error: null });
    const after = await detectDrift({ kubeconfig: kube.kubeconfig, applied: [policy()] });
    expect(after.results[0]).toMatchObject({ state: "in-sync" });
    // The label someone else added is theirs, not drift, and stays.
    expect(
      (kube.server.peek("rampart.dev/v1alpha1", "RampartPolicy", "payments", "storefront")!.metadata as { labels: Record<string, string> }).labels.extra,
    ).toBe("theirs");
  });

  it("reports a deleted resource as missing", async () => {
    expect((await kube.request("DELETE", policyPath)).status).toBe(200);
    const drift = await detectDrift({ kubeconfig: kube.kubeconfig, applied: [policy(), namespace("payments")] });
    expect(drift.results.map((r) => r.state)).toEqual(["missing", "in-sync"]);
  });
});
