// Rampart's rendered resources against the real schemas of the kinds it
// renders (the vendored upstream CRDs of Airlock Microgateway, Kyverno and
// Gatekeeper, tests/fixtures/kubernetes-schemas/) installed in the test API
// server, which defaults, prunes, runs their CEL rules and merges their
// list-type map entries like kube-apiserver: a fresh cluster takes everything
// in one apply (the Gatekeeper constraint kind waited for), drift is clean
// right after it although the server defaulted fields inside lists, and only a
// change to a field Rampart owns is drift.

import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { applyResources } from "@/lib/kubernetes/cluster/apply-resources";
import { detectDrift } from "@/lib/kubernetes/cluster/detect-drift";
import type { ClusterResource } from "@/lib/kubernetes/cluster/resource-ref";
import { examplePaymentsApi } from "@/lib/kubernetes/render/__fixtures__/render-fixtures";
import { loadYamlDocuments, SCHEMA_DIR } from "@/lib/kubernetes/render/__fixtures__/manifest-schemas";
import { renderApplicationResources } from "@/lib/kubernetes/render/render-application-resources";
import { runGatekeeperController } from "@/tests/kube-api-server/gatekeeper-controller";
import { namespace } from "@/tests/kube-api-server/fixtures";
import { startKubeApiServer, type TestKubeApiServer } from "@/tests/kube-api-server/start-kube-api-server";

let kube: TestKubeApiServer;
let stopGatekeeper: () => void;

const app = examplePaymentsApi();
// Inline keys too, so the export has its JWKS Secret.
app.bundle.authentication.issuers.push({
  issuer: "https://inline.example.com/",
  audiences: [],
  jwksUrl: null,
  keys: [{ kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" }],
  algorithms: ["EdDSA"],
});
const rendered = renderApplicationResources({
  target: {
    namespace: "payments",
    formats: ["rampart", "airlock", "kyverno", "gatekeeper", "rbac"],
    serviceAccount: { name: "rampart", namespace: "rampart" },
  },
  applications: [{ id: app.id, name: app.name, effective: app.effective, bundle: app.bundle, teamGroups: ["rampart:team:payments"] }],
  baseline: app.baseline,
}).resources as unknown as ClusterResource[];

const vendoredCrds = () =>
  ["airlock", "kyverno", "gatekeeper"].flatMap((folder) =>
    readdirSync(path.join(SCHEMA_DIR, folder))
      .filter((file) => file.endsWith(".yaml") && file !== "constraint-base-schema.yaml")
      .flatMap((file) => loadYamlDocuments(path.join(SCHEMA_DIR, folder, file))),
  ) as unknown as ClusterResource[];

const find = (kind: string) => rendered.find((r) => r.kind === kind)!;
const pathOf = (resource: ClusterResource) => {
  const [group, version] = resource.apiVersion.includes("/") ? resource.apiVersion.split("/") : ["", resource.apiVersion];
  const plural = { HeaderRewrites: "headerrewrites", AccessControlPolicy: "accesscontrolpolicies", DenyRules: "denyrules" }[resource.kind]!;
  return `/apis/${group}/${version}/namespaces/${resource.metadata.namespace}/${plural}/${resource.metadata.name}`;
};

beforeAll(async () => {
  kube = await startKubeApiServer({ tls: true, crdEstablishDelayMs: 50 });
  stopGatekeeper = runGatekeeperController(kube.server, { delayMs: 300 });
  const setup = await applyResources({ kubeconfig: kube.kubeconfig, resources: [...vendoredCrds(), namespace("payments") as ClusterResource], dryRun: false });
  expect(setup.results.filter((r) => r.error)).toEqual([]);
});

afterAll(async () => {
  stopGatekeeper();
  await kube.stop();
});

describe("the rendered resources against the vendored upstream CRDs", () => {
  it("are all accepted on a fresh cluster in one apply, the Gatekeeper constraint after its kind exists", async () => {
    const result = await applyResources({ kubeconfig: kube.kubeconfig, resources: rendered, dryRun: false });
    expect(result.results.filter((r) => r.outcome !== "created")).toEqual([]);
    expect(result.results.map((r) => r.ref.kind)).toEqual(
      expect.arrayContaining(["ConstraintTemplate", "RampartBaseline", "ClusterPolicy", "DenyRules", "AccessControlPolicy", "Secret"]),
    );
    expect(kube.server.peek("constraints.gatekeeper.sh/v1beta1", "RampartBaseline", null, find("RampartBaseline").metadata.name)).not.toBeNull();
  });

  it("show no drift right after the apply, although the server defaulted fields inside lists", async () => {
    const acp = kube.server.peek("microgateway.airlock.com/v1alpha1", "AccessControlPolicy", "payments", "payments-api")!;
    // The server's defaults inside list items: a whole-list comparison would call this drift forever.
    expect(JSON.stringify(acp.spec)).toContain('"invert":false');
    expect(acp.spec).not.toEqual(find("AccessControlPolicy").spec);
    const policy = kube.server.peek("kyverno.io/v1", "ClusterPolicy", null, find("ClusterPolicy").metadata.name)!;
    expect((policy.spec as { admission?: boolean }).admission).toBe(true);

    const drift = await detectDrift({ kubeconfig: kube.kubeconfig, applied: rendered });
    expect(drift.results.filter((r) => r.state !== "in-sync")).toEqual([]);
  });

  it("leaves another manager's entry of a list-type map alone, and finds a change to Rampart's own entry", async () => {
    const rewrites = find("HeaderRewrites");
    const extra = {
      apiVersion: rewrites.apiVersion,
      kind: "HeaderRewrites",
      metadata: { name: rewrites.metadata.name },
      spec: { response: { add: { custom: [{ name: "team-extra", mode: "OverwriteOrAdd", headers: [{ name: "X-Team", value: "payments" }] }] } } },
    };
    const added = await kube.request("PATCH", `${pathOf(rewrites)}?fieldManager=payments-team`, {
      body: stringify(extra),
      contentType: "application/apply-patch+yaml",
    });
    expect(added.status).toBe(200);
    expect((await detectDrift({ kubeconfig: kube.kubeconfig, applied: [rewrites] })).results[0]!.state).toBe("in-sync");

    // kubectl edit of Rampart's own entry (a JSON patch): drift, with who did it.
    const live = kube.server.peek(rewrites.apiVersion, "HeaderRewrites", "payments", rewrites.metadata.name)!;
    const index = (live.spec as { response: { add: { custom: Array<{ name: string }> } } }).response.add.custom.findIndex(
      (entry) => entry.name === "rampart-security-headers",
    );
    const edited = await kube.request("PATCH", `${pathOf(rewrites)}?fieldManager=kubectl-edit`, {
      body: [{ op: "replace", path: `/spec/response/add/custom/${index}/headers`, value: [{ name: "X-Frame-Options", value: "ALLOWALL" }] }],
      contentType: "application/json-patch+json",
    });
    expect(edited.status).toBe(200);
    const drift = (await detectDrift({ kubeconfig: kube.kubeconfig, applied: [rewrites] })).results[0]!;
    expect(drift).toMatchObject({ state: "drifted", changedBy: ["kubectl-edit"] });
    expect(drift.changes.map((c) => c.path)).toEqual(["spec.response.add.custom[name=rampart-security-headers].headers"]);
    expect(drift.text).toContain("ALLOWALL");

    // A forced re-apply takes the entry back and keeps the team's.
    const repaired = await applyResources({ kubeconfig: kube.kubeconfig, resources: [rewrites], dryRun: false, force: true });
    expect(repaired.ok).toBe(true);
    const after = kube.server.peek(rewrites.apiVersion, "HeaderRewrites", "payments", rewrites.metadata.name)!;
    expect((after.spec as { response: { add: { custom: Array<{ name: string }> } } }).response.add.custom.map((entry) => entry.name).sort()).toEqual([
      "rampart-security-headers",
      "team-extra",
    ]);
    expect((await detectDrift({ kubeconfig: kube.kubeconfig, applied: [rewrites] })).results[0]!.state).toBe("in-sync");
  });

  it("reads back a Secret written with stringData (an earlier Rampart) from data: no false drift, real drift found", async () => {
    const legacy: ClusterResource = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "legacy-jwks", namespace: "payments", labels: {}, annotations: {} },
      type: "Opaque",
      stringData: { "jwks.json": '{"keys":[]}' },
    };
    expect((await applyResources({ kubeconfig: kube.kubeconfig, resources: [legacy], dryRun: false })).ok).toBe(true);
    expect((await detectDrift({ kubeconfig: kube.kubeconfig, applied: [legacy] })).results[0]!.state).toBe("in-sync");
    await kube.request("PATCH", "/api/v1/namespaces/payments/secrets/legacy-jwks?fieldManager=kubectl-edit", {
      body: { data: { "jwks.json": Buffer.from('{"keys":[{"kty":"oct"}]}').toString("base64") } },
      contentType: "application/merge-patch+json",
    });
    const drift = (await detectDrift({ kubeconfig: kube.kubeconfig, applied: [legacy] })).results[0]!;
    expect(drift).toMatchObject({ state: "drifted", changedBy: ["kubectl-edit"] });
    expect(drift.changes.map((c) => c.path)).toEqual(["data[jwks.json]"]);
  });
});
