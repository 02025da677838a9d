// The plan's check of the HTTPRoutes that Airlock policies attach to, against
// the test API server: without the Gateway API CRDs (HTTPRoute not served),
// with them but without the route, with the route, and without the right to
// read routes.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyResources } from "@/lib/kubernetes/cluster/apply-resources";
import { checkRouteAttachments, routeTargetsOf } from "@/lib/kubernetes/cluster/check-route-attachments";
import type { ClusterResource } from "@/lib/kubernetes/cluster/resource-ref";
import { httpRouteCrd, namespace } from "@/tests/kube-api-server/fixtures";
import { startKubeApiServer, type TestKubeApiServer } from "@/tests/kube-api-server/start-kube-api-server";

const LIMITED_TOKEN = "route-check-limited-token";
let kube: TestKubeApiServer;

const attached = (kind: string, route: string): ClusterResource => ({
  apiVersion: "microgateway.airlock.com/v1alpha1",
  kind,
  metadata: { name: "payments-api", namespace: "payments", labels: { "rampart.dev/application": "payments-api" } },
  spec: { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: route }] },
});
const RESOURCES = [attached("ContentSecurityPolicy", "payments-api"), attached("AccessControlPolicy", "payments-api")];
const check = (kubeconfig = kube.kubeconfig) => checkRouteAttachments({ kubeconfig, resources: RESOURCES, retry: { attempts: 1 } });

beforeAll(async () => {
  kube = await startKubeApiServer({ tls: true, tokens: { [LIMITED_TOKEN]: { user: "system:serviceaccount:rampart:deployer", namespaces: ["other"] } } });
  expect((await applyResources({ kubeconfig: kube.kubeconfig, resources: [namespace("payments")], dryRun: false })).ok).toBe(true);
}, 60_000);

afterAll(async () => {
  await kube?.stop();
});

describe("HTTPRoutes the policies attach to", () => {
  it("are collected once per route from spec.targetRefs, other references ignored", () => {
    const other: ClusterResource = {
      ...attached("ContentSecurityPolicy", "x"),
      spec: { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "x" }] },
    };
    expect(routeTargetsOf([...RESOURCES, other, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "payments" } }])).toEqual([
      {
        namespace: "payments",
        name: "payments-api",
        attachedBy: ["ContentSecurityPolicy payments-api", "AccessControlPolicy payments-api"],
        application: "payments-api",
      },
    ]);
  });

  it("a cluster without the Gateway API: HTTPRoute is not served", async () => {
    const [route] = await check();
    expect(route).toMatchObject({ state: "gateway-api-missing", namespace: "payments", name: "payments-api" });
    expect(route!.message).toContain("the Gateway API CRDs are not installed");
  });

  it("the Gateway API installed, the route not created yet", async () => {
    expect((await applyResources({ kubeconfig: kube.kubeconfig, resources: [httpRouteCrd()], dryRun: false })).ok).toBe(true);
    const [route] = await check();
    expect(route).toMatchObject({ state: "missing" });
    expect(route!.message).toBe(
      "HTTPRoute payments/payments-api does not exist: ContentSecurityPolicy payments-api, AccessControlPolicy payments-api attach to it and protect nothing until the application's HTTPRoute is created.",
    );
  });

  it("the route exists", async () => {
    const created = await kube.request("POST", "/apis/gateway.networking.k8s.io/v1/namespaces/payments/httproutes", {
      body: {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: "payments-api" },
        spec: { parentRefs: [{ name: "gateway" }], hostnames: ["payments.example"] },
      },
    });
    expect(created.status).toBe(201);
    expect(await check()).toEqual([expect.objectContaining({ state: "present", message: null })]);
  });

  it("credentials that may not read routes there: reported as unknown, not as missing", async () => {
    const [route] = await check(kube.kubeconfigFor(LIMITED_TOKEN));
    expect(route).toMatchObject({ state: "unknown" });
    expect(route!.message).toMatch(/^Could not check that HTTPRoute payments\/payments-api exists/);
  });
});
