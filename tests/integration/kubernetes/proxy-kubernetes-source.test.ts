// The proxy with --source kubernetes against the test API server, over real
// sockets: the RampartPolicy's bundle is enforced, a change to it is picked
// up by the watch and reloaded, a tampered bundle is refused while the last
// good one keeps serving, and the watch comes back after the API server
// restarts, after failed reconnects (re-listing what changed meanwhile),
// after its resourceVersion expired (410), and from a BOOKMARK's
// resourceVersion when its own object did not change.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Bundle } from "@/lib/policy-spec";
import { applyResources } from "@/lib/kubernetes/cluster/apply-resources";
import { parseCliArgs } from "@/proxy/config/cli-options";
import { KubernetesPolicySource, loadKubeConfig } from "@/proxy/policy/kubernetes-source";
import { runSingle, type RunningProxy } from "@/proxy/server/run-proxy";
import { startOrigin, type Origin } from "@/proxy/test-support/origin-server";
import { request } from "@/proxy/test-support/http-request";
import { startKubeApiServer, type TestKubeApiServer } from "@/tests/kube-api-server/start-kube-api-server";
import { namespace, rampartPolicy, rampartPolicyCrd, testBundle } from "@/tests/kube-api-server/fixtures";

let kube: TestKubeApiServer;
let origin: Origin;
let proxy: RunningProxy;
let proxyUrl: string;
let dir: string;

const policyPath = "/apis/rampart.dev/v1alpha1/namespaces/payments/rampartpolicies/payments-api";

async function publish(bundle: Bundle): Promise<void> {
  const result = await applyResources({
    kubeconfig: kube.kubeconfig,
    resources: [rampartPolicy({ namespace: "payments", bundle })],
    dryRun: false,
    force: true,
    retry: { attempts: 3, baseDelayMs: 20 },
  });
  expect(result.results[0]!.error).toBeNull();
}

const status = async (urlPath: string) => (await request(`${proxyUrl}${urlPath}`)).status;

interface PolicyStatus {
  observedHash?: string;
  conditions?: Array<{ type: string; status: string; reason: string; message: string; observedGeneration?: number }>;
}
const policyStatus = () => (kube.server.peek("rampart.dev/v1alpha1", "RampartPolicy", "payments", "payments-api")?.status ?? {}) as PolicyStatus;

/** Waits for an event (a policy enforced, a request seen by the API server); the bound only names the failure. */
const eventually = (check: () => Promise<boolean> | boolean, timeoutMs = 20_000) =>
  vi.waitFor(async () => expect(await check()).toBe(true), { timeout: timeoutMs, interval: 50 });

beforeAll(async () => {
  kube = await startKubeApiServer({ tls: true });
  const setup = await applyResources({ kubeconfig: kube.kubeconfig, resources: [rampartPolicyCrd(), namespace("payments")], dryRun: false });
  expect(setup.ok).toBe(true);
  await publish(testBundle({ blockPath: "/blocked-one" }));
  origin = await startOrigin();
  dir = mkdtempSync(path.join(os.tmpdir(), "rampart-kube-source-"));
  const kubeconfig = path.join(dir, "kubeconfig");
  writeFileSync(kubeconfig, kube.kubeconfig, { mode: 0o600 });
  const options = parseCliArgs(
    [
      "--source",
      "kubernetes",
      "--kube-namespace",
      "payments",
      "--kube-policy",
      "payments-api",
      "--kubeconfig",
      kubeconfig,
      "--upstream",
      origin.url,
      "--workers",
      "1",
      "--listen",
      "127.0.0.1:0",
    ],
    {} as NodeJS.ProcessEnv,
  );
  proxy = await runSingle(options, { decisionSink: { write: () => undefined }, kubernetes: { backoff: { baseMs: 50, capMs: 300 }, watchTimeoutSeconds: 2 } });
  proxyUrl = `http://127.0.0.1:${proxy.worker!.addresses().find((a) => !a.tls)!.port}`;
});

afterAll(async () => {
  await proxy?.stop();
  await origin?.close();
  await kube?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("--source kubernetes", () => {
  it("enforces the RampartPolicy's bundle from the start", async () => {
    expect(proxy.controller.generation).toBe(1);
    expect(await status("/blocked-one/x")).toBe(403);
    expect(await status("/open")).toBe(200);
    // What runs is reported on the resource's status subresource.
    expect(policyStatus()).toMatchObject({
      observedHash: testBundle({ blockPath: "/blocked-one" }).contentHash,
      conditions: [{ type: "Enforced", status: "True", reason: "Applied", observedGeneration: 1 }],
    });
  });

  it("reloads when the resource changes", async () => {
    await publish(testBundle({ blockPath: "/blocked-two" }));
    await eventually(async () => (await status("/blocked-two")) === 403);
    expect(await status("/blocked-one/x")).toBe(200);
    expect(proxy.controller.generation).toBe(2);
    expect(proxy.controller.reloads.success).toBe(1);
    await eventually(() => policyStatus().observedHash === testBundle({ blockPath: "/blocked-two" }).contentHash);
    expect(policyStatus().conditions).toEqual([expect.objectContaining({ status: "True", observedGeneration: 2 })]);
  });

  it("refuses a bundle whose content does not match its hash; the last good one keeps serving", async () => {
    const tampered = structuredClone(testBundle({ blockPath: "/blocked-two" }));
    (tampered.adminBlocking as Array<{ value: string }>)[0]!.value = "/nothing";
    const failures = proxy.controller.reloads.failure;
    // Valid for the CRD's schema (the API server cannot recompute a hash): only the proxy can catch it.
    await publish(tampered);
    await eventually(() => proxy.controller.reloads.failure === failures + 1);
    expect(proxy.controller.lastError).toMatch(/contentHash .* does not match the bundle's content/);
    expect(proxy.controller.generation).toBe(2);
    expect(await status("/blocked-two")).toBe(403);
    expect(await status("/nothing")).toBe(200);
    await eventually(() => policyStatus().conditions?.[0]?.status === "False");
    expect(policyStatus()).toMatchObject({
      observedHash: testBundle({ blockPath: "/blocked-two" }).contentHash,
      conditions: [{ type: "Enforced", status: "False", reason: "Refused", message: expect.stringContaining("does not match the bundle's content") }],
    });
    // The proxy's own status write did not wake it up again.
    expect(proxy.controller.reloads.failure).toBe(failures + 1);
  });

  it("keeps serving while the API server restarts, and resumes the watch", async () => {
    await kube.restart();
    expect(await status("/blocked-two")).toBe(403);
    await publish(testBundle({ blockPath: "/blocked-three" }));
    await eventually(async () => (await status("/blocked-three")) === 403);
    expect(await status("/blocked-two")).toBe(200);
  });

  it("re-lists after failed reconnects, so a change made while no watch could run is not missed", async () => {
    const isWatch = (r: { query: URLSearchParams }) => r.query.get("watch") === "true";
    const before = kube.server.requests.length;
    kube.server.failNext(1000, 503, isWatch);
    await kube.restart();
    await publish(testBundle({ blockPath: "/blocked-four" }));
    // Only the list before each reconnect can have delivered it: every watch since the restart was refused.
    await eventually(async () => (await status("/blocked-four")) === 403);
    const since = kube.server.requests.slice(before).filter((r) => r.path === policyPath.replace(/\/payments-api$/, ""));
    expect(since.filter(isWatch).every((r) => r.status === 503)).toBe(true);
    expect(since.filter((r) => !isWatch(r) && r.status === 200).length).toBeGreaterThanOrEqual(1);

    kube.server.clearFaults();
    await eventually(() => kube.server.requests.slice(before).some((r) => isWatch(r) && r.status === undefined)); // a watch stream is open again
    await publish(testBundle({ blockPath: "/blocked-4b" }));
    await eventually(async () => (await status("/blocked-4b")) === 403);
  });

  it("lists again when its resourceVersion has expired (410 Expired)", async () => {
    // Watches end every 2 s (timeoutSeconds) and resume from their last resourceVersion; once the
    // server's history no longer reaches back to it, the resume gets an ERROR 410 and must re-list.
    const before = kube.server.requests.length;
    // Another object changes, then history is compacted past the watch's last resourceVersion.
    await kube.request("POST", "/api/v1/namespaces/payments/configmaps", {
      body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "bump" }, data: {} },
    });
    kube.server.compact();
    const isList = (r: { query: URLSearchParams; path: string; status?: number }) =>
      r.path.endsWith("/rampartpolicies") && r.query.get("watch") === null && r.status === 200;
    await eventually(() => kube.server.requests.slice(before).some(isList), 8000);
    await publish(testBundle({ blockPath: "/blocked-five" }));
    await eventually(async () => (await status("/blocked-five")) === 403);
  });

  it("resumes from a BOOKMARK's resourceVersion, so a watch whose own object did not change survives the loss of older history", async () => {
    // Other objects change; the proxy watches one RampartPolicy, so it sees none of these events.
    let latest = "";
    for (let i = 0; i < 3; i++) {
      const created = await kube.request("POST", "/api/v1/namespaces/payments/configmaps", {
        body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `bookmark-${i}` }, data: {} },
      });
      latest = (created.body.metadata as { resourceVersion: string }).resourceVersion;
    }
    const isWatch = (r: { query: URLSearchParams; path: string }) => r.path.endsWith("/rampartpolicies") && r.query.get("watch") === "true";
    const isList = (r: { query: URLSearchParams; path: string }) => r.path.endsWith("/rampartpolicies") && r.query.get("watch") === null;
    await eventually(() => kube.server.requests.some((r) => isWatch(r) && r.status === undefined)); // a watch stream is open
    const before = kube.server.requests.length;
    // Synchronously after the check: the open stream gets the bookmark before any timer can end it.
    kube.server.bookmark();
    // History before the bookmark is gone: resuming from the list's older resourceVersion would now get 410 and a re-list.
    kube.server.compact();
    // The server ends the watch (timeoutSeconds 2); the proxy resumes from the bookmark's resourceVersion.
    await eventually(() => kube.server.requests.slice(before).some(isWatch));
    const resumed = kube.server.requests.slice(before).find(isWatch)!;
    expect(resumed.query.get("resourceVersion")).toBe(latest);
    await publish(testBundle({ blockPath: "/after-bookmark" }));
    await eventually(async () => (await status("/after-bookmark")) === 403);
    // Picked up by the resumed watch: no 410, no re-list.
    expect(kube.server.requests.slice(before).filter(isList)).toEqual([]);
  });

  it("keeps the last good policy when the resource is deleted", async () => {
    // The source's own log line says it saw the deletion (through the watch, or a relist).
    const log = vi.spyOn(process.stderr, "write");
    try {
      expect((await kube.request("DELETE", policyPath)).status).toBe(200);
      await eventually(() => log.mock.calls.some(([chunk]) => /"event":"kubernetes-policy-(?:deleted|missing)"/.test(String(chunk))));
    } finally {
      log.mockRestore();
    }
    expect(await status("/after-bookmark")).toBe(403);
  });

  it("runs in-cluster from the service account's token and CA (no kubeconfig)", async () => {
    await publish(testBundle({ blockPath: "/in-cluster" }));
    const root = path.join(dir, "pod");
    const accountDir = path.join(root, "var/run/secrets/kubernetes.io/serviceaccount");
    mkdirSync(accountDir, { recursive: true });
    writeFileSync(path.join(accountDir, "token"), "rampart-test-admin-token");
    writeFileSync(path.join(accountDir, "ca.crt"), readFileSync(path.resolve(import.meta.dirname, "../../../proxy/testdata/ca.pem")));
    writeFileSync(path.join(accountDir, "namespace"), "payments");
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    process.env.KUBERNETES_SERVICE_HOST = "127.0.0.1";
    process.env.KUBERNETES_SERVICE_PORT = String(kube.port);
    try {
      const applied: string[] = [];
      const source = new KubernetesPolicySource({
        namespace: "payments",
        name: "payments-api",
        upstream: origin.url,
        kubeconfigFile: null,
        kubeConfig: loadKubeConfig(null, root),
        apply: async (set) => {
          applied.push(set.routes[0]!.bundle.contentHash);
          return true;
        },
        refused: (_reason, error) => {
          throw error;
        },
      });
      await source.start();
      await source.stop();
      expect(applied).toEqual([testBundle({ blockPath: "/in-cluster" }).contentHash]);
    } finally {
      process.env.KUBERNETES_SERVICE_HOST = saved.host;
      process.env.KUBERNETES_SERVICE_PORT = saved.port;
      if (saved.host === undefined) delete process.env.KUBERNETES_SERVICE_HOST;
      if (saved.port === undefined) delete process.env.KUBERNETES_SERVICE_PORT;
    }
  });
});
