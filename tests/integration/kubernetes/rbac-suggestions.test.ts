// The RBAC Rampart suggests (the "rbac" format) and ships (deploy/'s sidecar
// example) against the test API server authorising by the stored roles and
// bindings: Rampart's service account can deliver every format, cluster-scoped
// kinds included, and change cluster-scoped objects only by the names it
// renders; Kyverno's reports controller can read the kinds the ClusterPolicy
// checks (through Kyverno's aggregated ClusterRole); the sidecar proxy can
// report status but not change the policy.

import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { applyResources } from "@/lib/kubernetes/cluster/apply-resources";
import type { ClusterResource } from "@/lib/kubernetes/cluster/resource-ref";
import { examplePaymentsApi } from "@/lib/kubernetes/render/__fixtures__/render-fixtures";
import { loadYamlDocuments, SCHEMA_DIR } from "@/lib/kubernetes/render/__fixtures__/manifest-schemas";
import { renderApplicationResources } from "@/lib/kubernetes/render/render-application-resources";
import { runGatekeeperController } from "@/tests/kube-api-server/gatekeeper-controller";
import { namespace } from "@/tests/kube-api-server/fixtures";
import { startKubeApiServer, type TestKubeApiServer } from "@/tests/kube-api-server/start-kube-api-server";
import { readdirSync } from "node:fs";

let kube: TestKubeApiServer;
let stopGatekeeper: () => void;

const RBAC_KINDS = new Set(["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"]);
const app = examplePaymentsApi();
const rendered = renderApplicationResources({
  target: {
    namespace: "payments",
    formats: ["rampart", "airlock", "kyverno", "gatekeeper", "rbac"],
    serviceAccount: { name: "rampart", namespace: "rampart" },
  },
  applications: [{ id: app.id, name: app.name, effective: app.effective, bundle: app.bundle, teamGroups: ["rampart:team:payments"] }],
  baseline: app.baseline,
}).resources as unknown as ClusterResource[];
const rbac = rendered.filter((r) => RBAC_KINDS.has(r.kind));
const delivered = rendered.filter((r) => !RBAC_KINDS.has(r.kind));

const DEPLOY = path.resolve(import.meta.dirname, "../../../deploy");

beforeAll(async () => {
  kube = await startKubeApiServer({
    tls: true,
    tokens: {
      "rampart-sa": { user: "system:serviceaccount:rampart:rampart" },
      "kyverno-reports": { user: "system:serviceaccount:kyverno:kyverno-reports-controller" },
      "payments-proxy": { user: "system:serviceaccount:payments:payments-api" },
    },
  });
  stopGatekeeper = runGatekeeperController(kube.server, { delayMs: 100 });
  const crds = ["airlock", "kyverno", "gatekeeper"].flatMap((folder) =>
    readdirSync(path.join(SCHEMA_DIR, folder))
      .filter((file) => file.endsWith(".yaml") && file !== "constraint-base-schema.yaml")
      .flatMap((file) => loadYamlDocuments(path.join(SCHEMA_DIR, folder, file))),
  ) as unknown as ClusterResource[];
  // What the platform team installs as cluster-admin: the CRDs, the namespaces, Kyverno's
  // aggregated reports-controller role (as its chart does), then Rampart's RBAC suggestions.
  const kyvernoRole = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: "kyverno:reports-controller" },
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "rbac.kyverno.io/aggregate-to-reports-controller": "true" } }] },
    rules: [],
  };
  const kyvernoBinding = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: "kyverno:reports-controller" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "kyverno:reports-controller" },
    subjects: [{ kind: "ServiceAccount", name: "kyverno-reports-controller", namespace: "kyverno" }],
  };
  const admin = await applyResources({
    kubeconfig: kube.kubeconfig,
    resources: [...crds, namespace("payments"), namespace("rampart"), kyvernoRole, kyvernoBinding, ...rbac] as ClusterResource[],
    dryRun: false,
  });
  expect(admin.results.filter((r) => r.error)).toEqual([]);
});

afterAll(async () => {
  stopGatekeeper();
  await kube.stop();
});

describe("the RBAC suggestions", () => {
  it("let Rampart's service account deliver every format, the cluster-scoped kinds included", async () => {
    const result = await applyResources({ kubeconfig: kube.kubeconfigFor("rampart-sa", "payments"), resources: delivered, dryRun: false });
    expect(result.results.filter((r) => r.error)).toEqual([]);
    expect(result.results.map((r) => r.ref.kind)).toEqual(
      expect.arrayContaining(["CustomResourceDefinition", "ClusterPolicy", "ConstraintTemplate", "RampartBaseline", "RampartPolicy", "DenyRules"]),
    );
  });

  it("let it change cluster-scoped objects only by the names it renders, and nothing in other namespaces", async () => {
    const other = { apiVersion: "kyverno.io/v1", kind: "ClusterPolicy", metadata: { name: "someone-elses" }, spec: { rules: [] } };
    const created = await kube.request("PATCH", "/apis/kyverno.io/v1/clusterpolicies/someone-elses?fieldManager=rampart", {
      body: stringify(other),
      contentType: "application/apply-patch+yaml",
      token: "rampart-sa",
    });
    expect(created.status).toBe(403);
    expect(created.body.message).toContain('cannot patch resource "clusterpolicies" in API group "kyverno.io" at the cluster scope');
    expect((await kube.request("GET", "/api/v1/namespaces/default/secrets", { token: "rampart-sa" })).status).toBe(403);
  });

  it("let Kyverno's reports controller read what the ClusterPolicy checks, and nothing else", async () => {
    for (const resourcePath of [
      "/apis/rampart.dev/v1alpha1/rampartpolicies",
      "/apis/microgateway.airlock.com/v1alpha1/namespaces/payments/denyrules",
      "/apis/microgateway.airlock.com/v1alpha1/headerrewrites",
    ]) {
      expect((await kube.request("GET", resourcePath, { token: "kyverno-reports" })).status, resourcePath).toBe(200);
    }
    expect((await kube.request("GET", "/api/v1/namespaces/payments/secrets", { token: "kyverno-reports" })).status).toBe(403);
  });
});

describe("deploy/proxy/sidecar-example.yaml", () => {
  it("lets the sidecar proxy read its RampartPolicy and report status, but not change the policy", async () => {
    const sidecarRbac = loadYamlDocuments(path.join(DEPLOY, "proxy/sidecar-example.yaml")).filter((d) =>
      RBAC_KINDS.has(String(d.kind)),
    ) as unknown as ClusterResource[];
    expect((await applyResources({ kubeconfig: kube.kubeconfig, resources: sidecarRbac, dryRun: false })).ok).toBe(true);
    const policyPath = "/apis/rampart.dev/v1alpha1/namespaces/payments/rampartpolicies/payments-api";
    expect((await kube.request("GET", policyPath, { token: "payments-proxy" })).status).toBe(200);
    const status = await kube.request("PATCH", `${policyPath}/status?fieldManager=rampart-proxy`, {
      body: [{ op: "add", path: "/status", value: { observedHash: app.bundle.contentHash } }],
      contentType: "application/json-patch+json",
      token: "payments-proxy",
    });
    expect(status.status).toBe(200);
    const spec = await kube.request("PATCH", policyPath, {
      body: { spec: { application: "hijacked" } },
      contentType: "application/merge-patch+json",
      token: "payments-proxy",
    });
    expect(spec.status).toBe(403);
  });
});
