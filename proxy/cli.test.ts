// The real command line, as operators run it: --validate, and a two-worker
// cluster that serves, blocks, reloads in every worker and stops on SIGTERM.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { request } from "./test-support/http-request.js";
import { startOrigin, type Origin } from "./test-support/origin-server.js";
import { APP_POLICY, BASELINE, REPO, TESTDATA } from "./test-support/start-test-proxy.js";

const CLI = ["--import", "tsx", path.join(REPO, "proxy/cli.ts")];

// Waits for the cluster to report a state through its own endpoints (readiness, a
// generation, a log line); the bound only names the failure before the test timeout does.
const waitFor = (condition: () => Promise<boolean> | boolean, timeout = 20_000) =>
  vi.waitFor(async () => expect(await condition()).toBe(true), { timeout, interval: 50 });
const answers = async (url: string) => (await request(url).catch(() => null))?.status ?? 0; // 0: not listening yet

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });

describe("proxy/cli.ts", () => {
  it("--validate compiles a policy and reports its hash, and exits 1 with the problems of an invalid one", () => {
    const ok = spawnSync(
      process.execPath,
      [...CLI, "--validate", "--policy", BASELINE, "--policy", APP_POLICY, "--upstream", "https://127.0.0.1:9443", "--secrets-dir", TESTDATA],
      { cwd: REPO, encoding: "utf8" },
    );
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/default: \*\/ → https:\/\/127\.0\.0\.1:9443 {2}sha256:[0-9a-f]{64}\nvalid/);
    const dir = mkdtempSync(path.join(os.tmpdir(), "rampart-cli-"));
    writeFileSync(path.join(dir, "bad.yaml"), "apiVersion: rampart.dev/v1alpha1\nkind: BaselinePolicy\nmetadata: { name: x }\nmethods: { allowed: [FETCH] }\n");
    const bad = spawnSync(process.execPath, [...CLI, "--validate", "--policy", path.join(dir, "bad.yaml"), "--upstream", "http://127.0.0.1:1"], {
      cwd: REPO,
      encoding: "utf8",
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/bad\.yaml:4: \$\.methods\.allowed/);
  }, 30_000);

  describe("with two workers", () => {
    let origin: Origin;
    let child: ChildProcess;
    let port = 0;
    let admin = 0;
    const dir = mkdtempSync(path.join(os.tmpdir(), "rampart-cluster-"));
    const policy = path.join(dir, "baseline.yaml");
    // A small limit on one path, to see that it holds for the instance and not per worker.
    const appPolicy = path.join(dir, "app.yaml");
    let stdout = "";

    beforeAll(async () => {
      copyFileSync(BASELINE, policy);
      writeFileSync(
        appPolicy,
        "apiVersion: rampart.dev/v1alpha1\nkind: ApplicationPolicy\nmetadata: { application: cluster-test, applicationVersion: 1.0.0 }\nrateLimits:\n  - { id: limited, key: client-ip, requests: 10, windowSeconds: 3600, burst: 0, paths: [/limited] }\n",
      );
      origin = await startOrigin();
      port = await freePort();
      admin = await freePort();
      child = spawn(
        process.execPath,
        [
          ...CLI,
          "--policy",
          policy,
          "--policy",
          appPolicy,
          "--upstream",
          origin.url,
          "--listen",
          `127.0.0.1:${port}`,
          "--admin-listen",
          `127.0.0.1:${admin}`,
          "--workers",
          "2",
        ],
        { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] },
      );
      child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr!.on("data", () => undefined);
      await waitFor(async () => (await answers(`http://127.0.0.1:${admin}/readyz`)) === 200, 25_000);
    }, 30_000);
    afterAll(async () => {
      if (child.exitCode === null) child.kill("SIGKILL");
      await origin.close();
    });

    it("serves and blocks on the shared port, with metrics summed over the workers", async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => request(`http://127.0.0.1:${port}/items?page=1`)));
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect((await request(`http://127.0.0.1:${port}/x?f=..%2F..%2F..%2Fetc%2Fpasswd`)).status).toBe(403);
      const metrics = (await request(`http://127.0.0.1:${admin}/metrics`)).body;
      expect(Number(/rampart_requests_total\{status="200"\} (\d+)/.exec(metrics)![1])).toBeGreaterThanOrEqual(20);
      // The decision line reaches stdout after the answer: waited for, not slept on.
      await waitFor(() => /"type":"decision".*"family":"lfi"/.test(stdout));
    });

    it("counts a rate limit once for the instance, not once per worker", async () => {
      // 30 requests on 30 connections, spread over both workers by the cluster's round robin.
      const statuses = (await Promise.all(Array.from({ length: 30 }, () => request(`http://127.0.0.1:${port}/limited`)))).map((r) => r.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(10);
      expect(statuses.filter((status) => status === 429)).toHaveLength(20);
    });

    it("reloads the policy in every worker when the file changes", async () => {
      writeFileSync(policy, readFileSync(BASELINE, "utf8").replace("referrerPolicy: strict-origin-when-cross-origin", "referrerPolicy: no-referrer"));
      await waitFor(
        async () =>
          /rampart_policy_generation 2/.test((await request(`http://127.0.0.1:${admin}/metrics`)).body) &&
          (await answers(`http://127.0.0.1:${admin}/readyz`)) === 200,
      );
      const results = await Promise.all(Array.from({ length: 20 }, () => request(`http://127.0.0.1:${port}/r`)));
      expect(new Set(results.map((r) => r.headers["referrer-policy"]))).toEqual(new Set(["no-referrer"]));
    }, 30_000);

    it("stops on SIGTERM", async () => {
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    }, 20_000);
  });
});
