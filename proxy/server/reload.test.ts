// Hot reload under load: file changes and SIGHUP swap the policy atomically,
// no request fails, in-flight requests finish on the policy they started
// with, and an invalid policy is refused while the last good one serves.

import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { request } from "../test-support/http-request.js";
import { startOrigin, type Origin } from "../test-support/origin-server.js";
import { BASELINE, startTestProxy, type TestProxy } from "../test-support/start-test-proxy.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "rampart-reload-"));
const policyFile = path.join(dir, "baseline.yaml");
const original = readFileSync(BASELINE, "utf8");
const withReferrer = (value: string) => original.replace("referrerPolicy: strict-origin-when-cross-origin", `referrerPolicy: ${value}`);

let origin: Origin;
let proxy: TestProxy;

beforeAll(async () => {
  copyFileSync(BASELINE, policyFile);
  origin = await startOrigin();
  proxy = await startTestProxy(["--policy", policyFile, "--upstream", origin.url]);
});
afterAll(async () => {
  await proxy.stop();
  await origin.close();
});

// Waits for the controller to act on a change (an event), however slow the machine is;
// the bound is only there to name the failure instead of hanging until the test timeout.
const waitFor = (condition: () => boolean) => vi.waitFor(() => expect(condition()).toBe(true), { timeout: 20_000, interval: 10 });
const referrerOf = async (pathname: string) => String((await request(`${proxy.url}${pathname}`)).headers["referrer-policy"]);

describe("hot reload", () => {
  it("swaps policies under load without a single failed request; an invalid policy is refused and the last good one serves", async () => {
    const controller = proxy.running.controller;
    const startGeneration = controller.generation;
    const startFailures = controller.reloads.failure;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const statuses = new Map<number, number>();
    const referrers = new Set<string>();
    const errors: string[] = [];
    const served = () => [...statuses.values()].reduce((a, b) => a + b, 0);
    let running = true;
    const client = async () => {
      while (running) {
        try {
          const res = await request(`${proxy.url}/items?page=1`, {
            agent,
            method: "POST",
            headers: { "content-type": "application/json" },
            body: '{"q":"shoes"}',
          });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          referrers.add(String(res.headers["referrer-policy"]));
        } catch (error) {
          errors.push((error as Error).message);
        }
      }
    };
    const clients = Array.from({ length: 16 }, client);
    // An in-flight request that spans every reload: the origin holds it until released below.
    const held = origin.received.length;
    const inFlight = request(`${proxy.url}/hold`, { agent: new http.Agent() });
    await waitFor(() => origin.received.slice(held).some((r) => r.url === "/hold"));

    const broken = "apiVersion: rampart.dev/v1alpha1\nkind: BaselinePolicy\nmetadata: { name: broken }\nlimits: { maxBodyBytes: -5 }\n";
    // Each change waits for its outcome (a new generation, or a counted refusal) and for the
    // clients to have been served across it, instead of sleeping and hoping it happened.
    const versions: Array<{ text: string; referrer: string | null }> = [
      { text: withReferrer("no-referrer"), referrer: "no-referrer" },
      { text: withReferrer("same-origin"), referrer: "same-origin" },
      { text: broken, referrer: null },
      { text: withReferrer("no-referrer"), referrer: "no-referrer" },
    ];
    for (const { text, referrer } of versions) {
      const generation = controller.generation;
      const failures = controller.reloads.failure;
      writeFileSync(policyFile, text);
      if (referrer === null) await waitFor(() => controller.reloads.failure > failures);
      else await waitFor(() => controller.generation > generation);
      const servedBefore = served();
      await waitFor(() => served() >= servedBefore + 32);
      expect(await referrerOf("/z")).toBe(referrer ?? "same-origin");
    }
    origin.releaseHeld();
    running = false;
    await Promise.all(clients);
    agent.destroy();

    expect(errors).toEqual([]);
    expect([...statuses.keys()]).toEqual([200]);
    expect(served()).toBeGreaterThan(100);
    expect(referrers).toEqual(new Set(["strict-origin-when-cross-origin", "no-referrer", "same-origin"]));
    expect(controller.generation).toBeGreaterThanOrEqual(startGeneration + 3);
    expect(controller.reloads.failure).toBe(startFailures + 1);
    expect(await referrerOf("/x")).toBe("no-referrer");
    const finished = await inFlight;
    expect(finished.status).toBe(200);
    expect(finished.headers["referrer-policy"]).toBe("strict-origin-when-cross-origin"); // the policy it started with
  }, 30_000);

  it("reloads on SIGHUP, and skips a policy that did not change", async () => {
    const controller = proxy.running.controller;
    const spy = vi.spyOn(controller, "requestReload");
    writeFileSync(policyFile, withReferrer("origin"));
    process.emit("SIGHUP", "SIGHUP");
    expect(spy).toHaveBeenCalledWith("SIGHUP");
    await waitFor(() => controller.current?.routes[0]?.bundle.responseHeaders.some(([, v]) => v === "origin") === true);
    const generation = controller.generation;
    await controller.reload("manual");
    expect(controller.generation).toBe(generation);
    expect((await request(`${proxy.url}/y`)).headers["referrer-policy"]).toBe("origin");
  });
});
