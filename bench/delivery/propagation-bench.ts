// npm run bench:delivery -- [--proxies 50] [--publishes 5] [--in-process] (stand-in portal)
// flock /tmp/rampart-e2e.lock npm run bench:delivery -- --real [--proxies 50]  (builds and serves the real portal)
// npm run bench:delivery -- --portal URL --target-token T --portal-key FILE \
//     --api-token T --policy ID --versions V1,V2 [--probe V1=/path,V2=/path]  (a running portal)
//
// Propagation of a published policy to connected proxies (issue 7: "a published
// change is enforced by every connected proxy within one second"). Starts N
// connected proxies against a portal, publishes a new version several times,
// and measures per proxy the time from the publish call's response to the
// moment that proxy swapped the new snapshot in; then it proves enforcement
// with a probe per proxy (a path the new version blocks answers 403).
//
// Proxies: by default N separate processes (`proxy/cli.ts --workers 1`, the
// real CLI), timed by their "policy-applied" event line on stderr as it
// reaches this process; with --in-process, N proxies in this process (the same
// runSingle the CLI calls: DeliveryClient, verification, compile, swap), timed
// by the controller's applied event.
//
// Portal: by default the stand-in of proxy/test-support (the delivery contract
// with a real Ed25519 key and long poll; "publish" is an in-process call). With
// --real, the real portal started and prepared by ./real-portal.ts; with
// --portal, a running Rampart portal. Against a real portal each publish is one API call, a rollback
// alternating between two published versions of an application policy
// (POST /api/v1/policies/{id}/versions/{versionId}/rollback, a new published
// version each time), with a security officer's API token.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseCliArgs } from "../../proxy/config/cli-options.js";
import { runSingle, type RunningProxy } from "../../proxy/server/run-proxy.js";
import { buildBundle } from "../../proxy/test-support/bundle-fixtures.js";
import { startOrigin } from "../../proxy/test-support/origin-server.js";
import { startStandInPortal } from "../../proxy/test-support/stand-in-portal.js";
import { startRealPortal } from "./real-portal.js";

const REPO = path.resolve(import.meta.dirname, "../..");

interface Args {
  proxies: number;
  publishes: number;
  inProcess: boolean;
  real: boolean;
  portal: string | null;
  targetToken: string | null;
  portalKey: string | null;
  apiToken: string | null;
  policy: string | null;
  versions: string[];
  probe: Map<string, string>;
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    proxies: 50,
    publishes: 5,
    inProcess: false,
    real: false,
    portal: null,
    targetToken: null,
    portalKey: null,
    apiToken: null,
    policy: null,
    versions: [],
    probe: new Map(),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === "--proxies") args.proxies = Number(value());
    else if (flag === "--publishes") args.publishes = Number(value());
    else if (flag === "--in-process") args.inProcess = true;
    else if (flag === "--stand-in") args.portal = null;
    else if (flag === "--real") args.real = true;
    else if (flag === "--portal") args.portal = value();
    else if (flag === "--target-token") args.targetToken = value();
    else if (flag === "--portal-key") args.portalKey = value();
    else if (flag === "--api-token") args.apiToken = value();
    else if (flag === "--policy") args.policy = value();
    else if (flag === "--versions") args.versions = value().split(",");
    else if (flag === "--probe") for (const pair of value().split(",")) args.probe.set(pair.split("=")[0]!, pair.split("=")[1]!);
    else throw new Error(`unknown flag ${flag}`);
  }
  if (args.portal !== null && (!args.targetToken || !args.portalKey || !args.apiToken || !args.policy || args.versions.length !== 2)) {
    throw new Error("--portal needs --target-token, --portal-key, --api-token, --policy and --versions V1,V2");
  }
  return args;
}

/** One publish: the admin path the new version blocks (null: not known, no probe) and the previous version's, which it must not block. */
interface Published {
  blocks: string | null;
  allows: string | null;
}

interface Driver {
  url: string;
  targetToken: string;
  portalKey: string;
  publish(round: number): Promise<Published>;
  close(): Promise<void>;
}

async function standInDriver(dir: string): Promise<Driver> {
  const portal = await startStandInPortal();
  const keyFile = path.join(dir, "portal.pem");
  writeFileSync(keyFile, portal.publicKeyPem);
  const tagged = (tag: number) => [{ applicationId: "app-bench", name: "bench-api", bundle: buildBundle({ adminBlocking: { paths: [`/blocked-${tag}`] } }) }];
  portal.publish(tagged(0));
  return {
    url: portal.url,
    targetToken: "rpt_target_token",
    portalKey: keyFile,
    async publish(round) {
      portal.publish(tagged(round));
      return { blocks: `/blocked-${round}`, allows: `/blocked-${round - 1}` };
    },
    close: () => portal.close(),
  };
}

function portalDriver(args: Args, auth: Record<string, string>, close: () => Promise<void> = async () => undefined): Driver {
  const api = async (method: string, url: string, headers: Record<string, string> = {}, body?: string) => {
    const response = await fetch(new URL(url, args.portal!), { method, headers: { ...auth, ...headers }, body });
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
    return response;
  };
  return {
    url: args.portal!,
    targetToken: args.targetToken!,
    portalKey: args.portalKey!,
    async publish(round) {
      // The second version is in force after setup: round 1 brings back the first, round 2 the second, …
      const version = args.versions[(round + 1) % 2]!;
      const other = args.versions[round % 2]!;
      const etag = (await api("GET", `/api/v1/policies/${args.policy}`)).headers.get("etag") ?? "";
      await api(
        "POST",
        `/api/v1/policies/${args.policy}/versions/${version}/rollback`,
        { "if-match": etag, "content-type": "application/json" },
        JSON.stringify({ note: `bench round ${round}` }),
      );
      return { blocks: args.probe.get(version) ?? null, allows: args.probe.get(other) ?? null };
    },
    close,
  };
}

interface BenchProxy {
  url: string;
  /** Resolves with performance.now() of the next applied policy after the call. */
  nextApplied(): Promise<number>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function proxyArgs(driver: Driver, upstream: string, stateDir: string, index: number, port: number): string[] {
  return [
    "--portal",
    driver.url,
    "--token",
    driver.targetToken,
    "--portal-key",
    driver.portalKey,
    "--upstream",
    upstream,
    "--state-dir",
    stateDir,
    "--instance-id",
    `bench-${index}`,
    "--workers",
    "1",
    "--listen",
    `127.0.0.1:${port}`,
    "--decision-log",
    "/dev/null",
  ];
}

/** A proxy process running the real CLI; its stderr event lines say when a policy was applied. */
async function spawnProxy(driver: Driver, upstream: string, dir: string, index: number): Promise<BenchProxy> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", path.join(REPO, "proxy/cli.ts"), ...proxyArgs(driver, upstream, path.join(dir, `state-${index}`), index, port)],
    {
      cwd: REPO,
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let waiters: Array<(at: number) => void> = [];
  let started: (() => void) | null = null;
  let buffer = "";
  let tail = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    const at = performance.now();
    buffer += chunk.toString("utf8");
    tail = (tail + chunk.toString("utf8")).slice(-2000);
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.includes('"event":"policy-applied"') && line.includes('"reason":"portal"')) {
        const woken = waiters;
        waiters = [];
        for (const w of woken) w(at);
      } else if (line.includes('"event":"started"')) started?.();
    }
  });
  await new Promise<void>((resolve, reject) => {
    started = resolve;
    child.once("exit", (code) => reject(new Error(`proxy ${index} exited with ${code}: ${tail}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    nextApplied: () => new Promise((resolve) => waiters.push(resolve)),
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** The same runSingle the CLI runs, in this process. */
async function inProcessProxy(driver: Driver, upstream: string, dir: string, index: number): Promise<BenchProxy> {
  const running: RunningProxy = await runSingle(parseCliArgs(proxyArgs(driver, upstream, path.join(dir, `state-${index}`), index, 0), process.env), {
    decisionSink: { write: () => undefined },
  });
  const controller = running.controller;
  const report = controller.onEvent!;
  let waiters: Array<(at: number) => void> = [];
  controller.onEvent = (event) => {
    if (event.kind === "applied") {
      const at = performance.now();
      const woken = waiters;
      waiters = [];
      for (const w of woken) w(at);
    }
    report(event);
  };
  const port = running.worker!.addresses()[0]!.port;
  return { url: `http://127.0.0.1:${port}`, nextApplied: () => new Promise((resolve) => waiters.push(resolve)), stop: () => running.stop() };
}

function status(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      })
      .on("error", reject);
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (v: number) => `${v.toFixed(1)} ms`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(path.join(os.tmpdir(), "rampart-delivery-bench-"));
  const origin = await startOrigin();
  let driver: Driver;
  if (args.real) {
    const real = await startRealPortal(dir);
    Object.assign(args, {
      portal: real.url,
      targetToken: real.targetToken,
      portalKey: real.portalKeyFile,
      policy: real.policyId,
      versions: real.versions,
      probe: real.probe,
    });
    driver = portalDriver(args, { cookie: real.officerCookie }, () => real.close());
  } else driver = args.portal === null ? await standInDriver(dir) : portalDriver(args, { authorization: `Bearer ${args.apiToken}` });
  const kind = args.inProcess ? "in-process proxies (runSingle)" : "proxy processes (proxy/cli.ts --workers 1)";
  console.log(
    `portal: ${args.portal ?? "stand-in (proxy/test-support/stand-in-portal.ts)"}; ${args.proxies} ${kind}; ${args.publishes} publishes; ${os.availableParallelism()} CPUs`,
  );

  const proxies: BenchProxy[] = [];
  const startedAt = performance.now();
  try {
    // A few at a time: 50 TypeScript processes compiling at once on two cores would only queue.
    for (let i = 0; i < args.proxies; i += 5) {
      const batch = Array.from({ length: Math.min(5, args.proxies - i) }, (_, j) =>
        (args.inProcess ? inProcessProxy : spawnProxy)(driver, origin.url, dir, i + j),
      );
      proxies.push(...(await Promise.all(batch)));
    }
    console.log(`${proxies.length} proxies connected in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
    await new Promise((r) => setTimeout(r, 1000)); // every long poll is being held

    const all: number[] = [];
    for (let round = 1; round <= args.publishes; round++) {
      const applied = proxies.map((p) => p.nextApplied());
      const before = performance.now();
      const published = await driver.publish(round);
      // A real portal: from the publish API's response. The stand-in's publish is an in-process call that already
      // answers the waiting polls before it returns, so there the clock starts when the call starts (an upper bound).
      const t0 = args.portal === null ? before : performance.now();
      const times = await Promise.race([
        Promise.all(applied),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`round ${round}: not every proxy applied the new version within 30 s`)), 30_000)),
      ]);
      const delays = times.map((at) => Math.max(0, at - t0)).sort((a, b) => a - b);
      all.push(...delays);
      let enforced = "not probed";
      if (published.blocks !== null) {
        const results = await Promise.all(
          proxies.map(
            async (p) =>
              (await status(`${p.url}${published.blocks}`)) === 403 && (published.allows === null || (await status(`${p.url}${published.allows}`)) !== 403),
          ),
        );
        // "no longer blocks": the previous version's admin path gets past admin blocking (later rules, e.g. a required token, may still answer 401).
        enforced = `${results.filter(Boolean).length}/${proxies.length} proxies block ${published.blocks} (403)${published.allows ? ` and no longer block ${published.allows}` : ""}`;
      }
      console.log(
        `publish ${round}: publish call ${ms(t0 - before)}; applied p50 ${ms(percentile(delays, 50))}, p99 ${ms(percentile(delays, 99))}, max ${ms(delays.at(-1)!)}; ${enforced}`,
      );
      await new Promise((r) => setTimeout(r, 500));
    }
    all.sort((a, b) => a - b);
    console.log(
      `\nall ${all.length} (proxy, publish) pairs: p50 ${ms(percentile(all, 50))}, p99 ${ms(percentile(all, 99))}, max ${ms(all.at(-1)!)}  (target: every proxy within 1000 ms)`,
    );
  } finally {
    await Promise.all(proxies.map((p) => p.stop().catch(() => undefined)));
    await driver.close();
    await origin.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
