// Connected mode against a stand-in portal that implements the delivery
// contract (lib/policy-spec/delivery-schema.ts) over real sockets with a real
// Ed25519 key and a real long poll. Every claim about which policy is in force
// is proved with a request the proxy blocks or lets through: a policy "tagged
// x" blocks the admin path /blocked-x, so /blocked-x answers 403 only while
// that policy is enforced.

import { spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { canonicalJson, sha256Hex, type Bundle } from "@/lib/policy-spec";
import type { DeliveryOverrides } from "./run-proxy.js";
import { buildBundle } from "../test-support/bundle-fixtures.js";
import { request } from "../test-support/http-request.js";
import { startOrigin, type Origin } from "../test-support/origin-server.js";
import { deliverySet, signEnvelope, startStandInPortal, type StandInPortal } from "../test-support/stand-in-portal.js";
import { REPO, startTestProxy, type TestProxy } from "../test-support/start-test-proxy.js";

const TOKEN = "rpt_target_token";
const FAST: DeliveryOverrides = { backoff: { baseMs: 40, capMs: 200 }, unauthorizedRetryMs: 300 };

let origin: Origin;
let portal: StandInPortal;
let keyFile = "";
const started: TestProxy[] = [];

const tagged = new Map<string, Bundle>();
const policy = (tag: string): Bundle => {
  if (!tagged.has(tag)) tagged.set(tag, buildBundle({ adminBlocking: { paths: [`/blocked-${tag}`] } }));
  return tagged.get(tag)!;
};
const app = (tag: string, applicationId = "app-1", name = "payments-api") => ({ applicationId, name, bundle: policy(tag) });
const status = async (proxy: TestProxy, p: string) => (await request(`${proxy.url}${p}`)).status;

/** The policy tagged `tag` is in force: its path is blocked, the other tags' are not. */
const enforces = async (proxy: TestProxy, tag: string, others: string[]) => {
  if ((await status(proxy, `/blocked-${tag}`)) !== 403) return false;
  for (const other of others) if ((await status(proxy, `/blocked-${other}`)) !== 200) return false;
  return true;
};

// Waits for an event (a policy enforced, a report received); the bound only names the
// failure before the test timeout does, it is not a claim about speed.
const waitFor = (condition: () => boolean | Promise<boolean>, ms = 20_000) =>
  vi.waitFor(async () => expect(await condition()).toBe(true), { timeout: ms, interval: 20 });

const connected = async (stateDir: string, extra: string[] = [], delivery: DeliveryOverrides = FAST) => {
  const proxy = await startTestProxy(
    [
      "--portal",
      portal.url,
      "--token",
      TOKEN,
      "--portal-key",
      keyFile,
      "--upstream",
      origin.url,
      "--state-dir",
      stateDir,
      "--poll-wait",
      "5",
      "--heartbeat-interval",
      "1",
      ...extra,
    ],
    { delivery },
  );
  started.push(proxy);
  return proxy;
};
const freshDir = () => mkdtempSync(path.join(os.tmpdir(), "rampart-delivery-"));
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  origin = await startOrigin();
  portal = await startStandInPortal();
  keyFile = path.join(freshDir(), "portal.pem");
  writeFileSync(keyFile, portal.publicKeyPem);
});
afterEach(async () => {
  for (const proxy of started.splice(0)) await proxy.stop();
  portal.tokens.add(TOKEN);
});
afterAll(async () => {
  await portal.close();
  await origin.close();
});

describe("connected mode (delivery contract)", () => {
  it("applies each publish through the long poll, keeps it on disk and reports hashes and counters", async () => {
    const stateDir = freshDir();
    const first = portal.publish([app("a")]);
    const proxy = await connected(stateDir);
    expect(await enforces(proxy, "a", ["b"])).toBe(true);
    expect(portal.polls.at(-1)).toMatchObject({ token: TOKEN, hash: first.contentHash, wait: 5 });
    expect(portal.polls.at(-1)!.instance).toMatch(/-\d+-[0-9a-f]{6}$/);

    await waitFor(() => portal.polls.at(-1)?.hash === first.contentHash && portal.polls.at(-1)?.answer === undefined); // the long poll is held
    const held = portal.polls.at(-1)!;
    const second = portal.publish([app("b")]);
    await waitFor(() => enforces(proxy, "b", ["a"]));
    expect(held.answer).toBe("woken"); // pushed by the long poll, not found by a later poll
    expect(JSON.parse(readFileSync(path.join(stateDir, "delivery-set.json"), "utf8"))).toMatchObject({ contentHash: second.contentHash });

    // Heartbeats every second carry the counters of the probes above (4 requests at least, 2 of them blocked).
    const { instanceId } = await proxy.running.agent!.report();
    await waitFor(() => portal.reports.get(instanceId)?.runningHash === second.contentHash && portal.reports.get(instanceId)!.counters.requests >= 4);
    const report = portal.reports.get(instanceId)!;
    expect(report).toMatchObject({ mode: "microgateway", running: [{ applicationId: "app-1", contentHash: policy("b").contentHash }], reloadErrors: [] });
    expect(report.counters.reloads).toBeGreaterThanOrEqual(1);
    expect(report.counters.blocked).toBeGreaterThanOrEqual(2);
    expect(report.counters.upstreamErrors).toBe(0);
  });

  it.each([
    [
      "a payload altered after the portal signed it",
      () => {
        const envelope = JSON.parse(portal.envelope([app("c")]).text) as { payload: string };
        envelope.payload = envelope.payload.replace("/blocked-c", "/blocked-x");
        return JSON.stringify(envelope);
      },
      /signature .* does not verify/,
    ],
    [
      "a set signed with another key",
      () => signEnvelope(deliverySet([app("c")]), generateKeyPairSync("ed25519").privateKey).text,
      /signature .* does not verify/,
    ],
    [
      "a signed set whose envelope contentHash is not the payload's",
      () => JSON.stringify({ ...(JSON.parse(portal.envelope([app("c")]).text) as object), contentHash: `sha256:${"0".repeat(64)}` }),
      /contentHash .* is not the payload's/,
    ],
    [
      "a signed set whose inner bundle does not match its own contentHash",
      // The bundle still claims the hash of the policy blocking /blocked-c, but blocks nothing.
      () => portal.envelope([{ applicationId: "app-1", name: "payments-api", bundle: { ...policy("c"), adminBlocking: [] } }]).text,
      /applications\.0\.bundle\.contentHash.*does not match/,
    ],
  ])("refuses %s, reports it, and keeps enforcing the last good set", async (_name, tamper, message) => {
    portal.publish([app("a")]);
    const proxy = await connected(freshDir());
    expect(await enforces(proxy, "a", ["c"])).toBe(true);
    const failures = proxy.running.controller.reloads.failure;
    const text = tamper();
    portal.publishRaw(text, (JSON.parse(text) as { contentHash: string }).contentHash);
    await waitFor(() => proxy.running.controller.reloads.failure > failures);
    expect(await enforces(proxy, "a", ["c", "x"])).toBe(true);
    const { instanceId } = await proxy.running.agent!.report();
    await waitFor(() => (portal.reports.get(instanceId)?.reloadErrors.length ?? 0) > 0);
    expect(portal.reports.get(instanceId)!.reloadErrors[0]!.message).toMatch(message);
    // The report names the refused set by the hash its envelope claims, so the portal can tell it is the one it sent.
    expect(portal.reports.get(instanceId)!.reloadErrors[0]!.refusedHash).toBe((JSON.parse(text) as { contentHash: string }).contentHash);
    expect(portal.reports.get(instanceId)!.runningHash).toBe(proxy.running.agent!.runningHash);
    expect(proxy.running.agent!.failures).toBeGreaterThan(0); // a refused set is retried with backoff, not in a tight loop

    // The portal's next honest publish is taken.
    portal.publish([app("c")]);
    await waitFor(() => enforces(proxy, "c", ["a"]));
  });

  it("on 401 keeps serving the last good set, retries slowly, and converges once the token is accepted again", async () => {
    portal.publish([app("a")]);
    const proxy = await connected(freshDir());
    portal.tokens.delete(TOKEN);
    portal.publish([app("d")]);
    await waitFor(() => proxy.running.agent!.unauthorized);
    // Slow retries, no tight loop: the next refused polls come at least half of unauthorizedRetryMs
    // apart (equal jitter). A lower bound on the gap: a loaded machine only widens it.
    const refusedBefore = portal.refusedPolls.length;
    await waitFor(() => portal.refusedPolls.length >= refusedBefore + 2);
    const [a, b] = portal.refusedPolls.slice(refusedBefore, refusedBefore + 2);
    expect(b! - a!).toBeGreaterThanOrEqual(FAST.unauthorizedRetryMs! / 2 - 10);
    expect(await enforces(proxy, "a", ["d"])).toBe(true);
    portal.tokens.add(TOKEN);
    await waitFor(() => enforces(proxy, "d", ["a"]));
  });

  it("starts from the verified set on disk while the portal is down, and converges when it is back", async () => {
    const stateDir = freshDir();
    portal.publish([app("e")]);
    const first = await connected(stateDir);
    expect(await enforces(first, "e", [])).toBe(true);
    await first.stop();
    started.length = 0;

    await portal.crash();
    try {
      const proxy = await connected(stateDir);
      expect(await enforces(proxy, "e", ["f"])).toBe(true);
      portal.publish([app("f")]);
      await portal.restart();
      await waitFor(() => enforces(proxy, "f", ["e"]));
    } finally {
      await portal.restart().catch(() => undefined);
    }
  });

  it("refuses to start with neither a reachable portal nor a good set on disk, and does not trust an altered state file", async () => {
    const stateDir = freshDir();
    portal.publish([app("g")]);
    const proxy = await connected(stateDir);
    await proxy.stop();
    started.length = 0;
    const file = path.join(stateDir, "delivery-set.json");
    writeFileSync(file, readFileSync(file, "utf8").replace("/blocked-g", "/blocked-z"));
    await portal.crash();
    try {
      await expect(connected(stateDir)).rejects.toThrow(/no policy to enforce/);
      await expect(connected(freshDir())).rejects.toThrow(/no policy to enforce/);
    } finally {
      await portal.restart();
    }
  });

  it("reconnects after a portal restart in the middle of a long poll and converges on what was published meanwhile", async () => {
    portal.publish([app("h")]);
    const proxy = await connected(freshDir());
    await waitFor(() => portal.polls.at(-1)?.wait === 5); // the long poll is being held
    await portal.crash();
    portal.publish([app("i")]);
    await waitFor(() => proxy.running.agent!.failures > 0); // the proxy saw its long poll cut
    expect(await enforces(proxy, "h", ["i"])).toBe(true);
    await portal.restart();
    await waitFor(() => enforces(proxy, "i", ["h"]));
  });

  it("ends on the newest version when two publishes follow each other at once", async () => {
    portal.publish([app("j")]);
    const proxy = await connected(freshDir());
    portal.publish([app("k")]);
    const newest = portal.publish([app("l")]);
    await waitFor(() => proxy.running.agent!.runningHash === newest.contentHash);
    // Settled: the proxy is back to waiting with the newest hash (nothing older can arrive after it).
    await waitFor(() => portal.polls.at(-1)?.hash === newest.contentHash && portal.polls.at(-1)?.answer === undefined);
    expect(proxy.running.agent!.runningHash).toBe(newest.contentHash);
    expect(await enforces(proxy, "l", ["j", "k"])).toBe(true);
  });

  it("a proxy that refuses its very first set reports it, naming the refused set, before it gives up", async () => {
    const text = JSON.stringify({ ...(JSON.parse(portal.envelope([app("t")]).text) as object), contentHash: `sha256:${"1".repeat(64)}` });
    portal.publishRaw(text, `sha256:${"1".repeat(64)}`);
    await expect(connected(freshDir())).rejects.toThrow(/no policy to enforce/);
    const last = [...portal.reports.values()].find((r) => r.reloadErrors.some((e) => e.refusedHash === `sha256:${"1".repeat(64)}`));
    expect(last).toMatchObject({ runningHash: null, running: [], counters: { requests: 0, blocked: 0, upstreamErrors: 0, reloads: 0 } });
    expect(last!.reloadErrors[0]).toMatchObject({
      refusedHash: `sha256:${"1".repeat(64)}`,
      message: expect.stringMatching(/contentHash .* is not the payload's/),
    });

    // A set that verifies but cannot be enforced (two applications, no --application) is named by its verified hash.
    const several = portal.publish([app("u", "app-1", "payments-api"), app("v", "app-2", "storefront-web")]);
    await expect(connected(freshDir())).rejects.toThrow(/no policy to enforce/);
    expect([...portal.reports.values()].some((r) => r.runningHash === null && r.reloadErrors[0]?.refusedHash === several.contentHash)).toBe(true);
  });

  it("gives up on that last report when the portal does not answer it (finalReportMs)", async () => {
    const text = JSON.stringify({ ...(JSON.parse(portal.envelope([app("w")]).text) as object), contentHash: `sha256:${"2".repeat(64)}` });
    portal.publishRaw(text, `sha256:${"2".repeat(64)}`);
    portal.holdStatusReports(true);
    try {
      const answered = portal.reportCount();
      // A short bound (the default is 2 s): the outcome is asserted, not how long it took.
      await expect(connected(freshDir(), ["--instance-id", "unanswered"], { ...FAST, finalReportMs: 200 })).rejects.toThrow(/no policy to enforce/);
      // It sent its reports whole (the refusal, then the last one) and gave up while the
      // portal still held them: the give-up, not the portal, ended the wait.
      await waitFor(() => portal.heldReportsFrom("unanswered") >= 1);
      expect(portal.reportCount()).toBe(answered);
    } finally {
      portal.holdStatusReports(false);
    }
  });

  it("in a set of several applications, --application picks one by name; without it the set is refused", async () => {
    portal.publish([app("m", "app-1", "payments-api"), app("n", "app-2", "storefront-web")]);
    const proxy = await connected(freshDir(), ["--application", "storefront-web"]);
    expect(await enforces(proxy, "n", ["m"])).toBe(true);
    await expect(connected(freshDir())).rejects.toThrow(/no policy to enforce/);
  });
});

describe("connected gateway", () => {
  it("routes by the config's application ids and names; a route whose application is missing answers 503 and the others keep serving", async () => {
    const dir = freshDir();
    const config = path.join(dir, "gateway.yaml");
    writeFileSync(
      config,
      [
        "apiVersion: rampart.dev/v1alpha1",
        "kind: GatewayConfig",
        "routes:",
        "  - name: payments",
        "    path: /payments",
        `    upstream: ${origin.url}`,
        "    application: app-1",
        "  - name: shop",
        "    path: /shop",
        `    upstream: ${origin.url}`,
        "    application: storefront-web",
        "  - name: legacy",
        "    path: /legacy",
        `    upstream: ${origin.url}`,
        "    application: app-gone",
        "",
      ].join("\n"),
    );
    const set = portal.publish([app("o", "app-1", "payments-api"), app("p", "app-2", "storefront-web")]);
    const proxy = await startTestProxy(
      ["--portal", portal.url, "--token", TOKEN, "--portal-key", portal.publicKeyBase64, "--config", config, "--state-dir", dir],
      { delivery: FAST },
    );
    started.push(proxy);
    expect(await status(proxy, "/payments/x")).toBe(200);
    expect(await status(proxy, "/shop/x")).toBe(200);
    const refused = await request(`${proxy.url}/legacy/x`);
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body)).toMatchObject({ status: 503, requestId: refused.headers["x-request-id"] });
    expect(proxy.decisions().at(-1)).toMatchObject({ status: 503, ruleId: "gateway.application-unavailable", path: "/legacy/x" });

    const report = await proxy.running.agent!.report();
    expect(report).toMatchObject({ mode: "gateway", runningHash: set.contentHash });
    expect(report.running.map((r) => r.applicationId).sort()).toEqual(["app-1", "app-2"]);
  });
});

describe("verification order", () => {
  it("hashes the exact payload bytes (the envelope hash is sha256 over the UTF-8 payload)", () => {
    const envelope = signEnvelope(deliverySet([app("q")]), generateKeyPairSync("ed25519").privateKey);
    const parsed = JSON.parse(envelope.text) as { payload: string; contentHash: string };
    expect(parsed.contentHash).toBe(`sha256:${sha256Hex(parsed.payload)}`);
    expect(parsed.payload).toBe(canonicalJson(JSON.parse(parsed.payload)));
  });
});

describe("the real CLI in connected mode", () => {
  const CLI = ["--import", "tsx", path.join(REPO, "proxy/cli.ts")];

  it("refuses to start without a pinned portal key, naming the flag", () => {
    const result = spawnSync(process.execPath, [...CLI, "--portal", portal.url, "--token", TOKEN, "--upstream", origin.url], { cwd: REPO, encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/--portal needs --portal-key/);
  }, 30_000);

  it("refusing its first set, the process reports the refusal, then exits with nothing to enforce", async () => {
    const refused = `sha256:${"3".repeat(64)}`;
    portal.publishRaw(JSON.stringify({ ...(JSON.parse(portal.envelope([app("y")]).text) as object), contentHash: refused }), refused);
    const child = spawn(
      process.execPath,
      [
        ...CLI,
        "--portal",
        portal.url,
        "--token",
        TOKEN,
        "--portal-key",
        portal.publicKeyBase64,
        "--upstream",
        origin.url,
        "--listen",
        "127.0.0.1:0",
        "--workers",
        "2",
        "--state-dir",
        freshDir(),
        "--instance-id",
        "doomed-1",
        "--decision-log",
        "/dev/null",
      ],
      { cwd: REPO, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/no policy to enforce/);
    expect(portal.reports.get("doomed-1")).toMatchObject({ runningHash: null, reloadErrors: [{ refusedHash: refused }] });
  }, 30_000);

  it("with two workers: the primary polls, every worker enforces each publish, and heartbeats sum the workers' counters", async () => {
    portal.publish([app("r")]);
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        ...CLI,
        "--portal",
        portal.url,
        "--token",
        TOKEN,
        "--portal-key",
        portal.publicKeyBase64,
        "--upstream",
        origin.url,
        "--listen",
        `127.0.0.1:${port}`,
        "--workers",
        "2",
        "--state-dir",
        freshDir(),
        "--instance-id",
        "cluster-1",
        "--heartbeat-interval",
        "1",
        "--decision-log",
        "/dev/null",
      ],
      { cwd: REPO, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitFor(async () => (await request(`${url}/blocked-r`).catch(() => ({ status: 0 }))).status === 403, 40_000);
      const published = portal.publish([app("s")]);
      // Each request on a new connection, so both workers answer some of them.
      await waitFor(async () => {
        const results = await Promise.all(Array.from({ length: 6 }, () => request(`${url}/blocked-s`)));
        return results.every((r) => r.status === 403);
      });
      const passed = await Promise.all(Array.from({ length: 10 }, () => request(`${url}/blocked-r`)));
      expect(passed.every((r) => r.status === 200)).toBe(true);
      await waitFor(() => (portal.reports.get("cluster-1")?.counters.requests ?? 0) >= 17);
      const report = portal.reports.get("cluster-1")!;
      expect(report).toMatchObject({ runningHash: published.contentHash, running: [{ applicationId: "app-1", contentHash: policy("s").contentHash }] });
      expect(report.counters.blocked).toBeGreaterThanOrEqual(7);
      expect(report.counters.reloads).toBe(1);
      // The first heartbeat goes out while the primary starts: it must find the workers' counters ready.
      expect(stderr).not.toMatch(/heartbeat-failed|before initialization/);
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  }, 60_000);
});
