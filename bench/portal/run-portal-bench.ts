// npm run bench:portal -- [--seconds 5] [--workers N] [--json FILE] [--cpu-prof DIR] [--only NAME,…] [--compare-api-front]
// Run it under the heavy lock (it may run `next build`, and it loads both cores):
//   flock /tmp/rampart-heavy.lock npm run bench:portal
//
// Throughput and latency of the built portal under load (issue 19). Builds the portal when
// the build is stale (the rule of `npm start`, lib/cli/build-freshness.ts), seeds a fresh
// database to a realistic size (./seed-portal-scale.ts), serves it with lib/cli/serve.ts
// as `npm start` does, and then, one endpoint at a time, drives it with `hey` for a fixed
// time: authenticated API reads (a security officer's API token: every team's rows) at 50
// connections, a proxy's bundle polls and heartbeats (its delivery token) at 50, and the
// main pages' server-rendered HTML (a session cookie) at 10. /api/health (one database
// ping, no authentication) runs in the same run, first and last, as the baseline: the
// machine is shared, so the ratios to it are the figures that travel.
//
// --workers N is passed on as RAMPART_WORKERS; --cpu-prof DIR starts the server under
// `node --cpu-prof` and leaves one profile per process there when it stops.
// --compare-api-front starts a second portal on the same database with the API served
// through Next.js (RAMPART_API_THROUGH_NEXT=1, as before lib/server/api-front.ts) and drives
// each endpoint on both, one right after the other, so the two are compared in one run.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildFreshness } from "../../lib/cli/build-freshness";
import { choosePort } from "../../lib/db/embedded-postgres";
import { portalApi, signInCookie } from "../../lib/demo/portal-api-client";
import { testDeliveryKeys } from "../../tests/helpers/delivery-keys";
import { createIsolatedDatabase, prepareTestDatabases } from "../../tests/helpers/test-database";
import { SCALE, seedPortalScale } from "./seed-portal-scale";

const ROOT = path.resolve(import.meta.dirname, "../..");
const HEY = process.env.HEY ?? "/usr/bin/hey";

type Args = { seconds: number; workers: string | null; json: string | null; cpuProf: string | null; only: string[] | null; compare: boolean };

function parseArgs(argv: string[]): Args {
  const args: Args = { seconds: 5, workers: null, json: null, cpuProf: null, only: null, compare: false };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return v;
    };
    switch (argv[i]) {
      case "--seconds":
        args.seconds = Number(value());
        break;
      case "--workers":
        args.workers = value();
        break;
      case "--json":
        args.json = path.resolve(value());
        break;
      case "--cpu-prof":
        args.cpuProf = path.resolve(value());
        break;
      case "--only":
        args.only = value().split(",");
        break;
      case "--compare-api-front":
        args.compare = true;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  if (!Number.isFinite(args.seconds) || args.seconds < 1 || args.seconds > 60) throw new Error("--seconds must be 1 to 60");
  return args;
}

type Load = {
  name: string;
  group: "baseline" | "api" | "proxy" | "page";
  path: string;
  connections: number;
  headers: Record<string, string>;
  method?: "GET" | "POST";
  body?: string;
  /** Statuses that count as answered (others are errors). */
  ok: number[];
};

type Result = {
  name: string;
  group: Load["group"];
  connections: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
};

const args = parseArgs(process.argv.slice(2));
const log = (line: string) => process.stdout.write(`[bench:portal] ${line}\n`);

async function main() {
  if (spawnSync(HEY, ["-n", "1", "http://127.0.0.1:1/"], { stdio: "ignore" }).error)
    throw new Error(`${HEY} is not installed (apt-get install hey, or set HEY)`);
  await buildIfStale();

  const databases = await prepareTestDatabases(log);
  const database = await createIsolatedDatabase();
  let server: ChildProcess | undefined;
  let throughNext: ChildProcess | undefined;
  try {
    const seedStarted = performance.now();
    await seedDemo(database.url);
    const counts = await seedPortalScale(database.url);
    log(
      `seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s: ${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ")}`,
    );

    const port = await choosePort();
    const url = `http://127.0.0.1:${port}`;
    server = startServer(database.url, port);
    await waitForHealth(url, server);
    let nextUrl: string | null = null;
    if (args.compare) {
      const nextPort = await choosePort();
      nextUrl = `http://127.0.0.1:${nextPort}`;
      throughNext = startServer(database.url, nextPort, { RAMPART_API_THROUGH_NEXT: "1" });
      await waitForHealth(nextUrl, throughNext);
    }
    const loads = await prepareLoads(url);
    const selected = args.only ? loads.filter((l) => l.group === "baseline" || args.only!.includes(l.name)) : loads;

    const results: Result[] = [];
    const compared: Result[] = [];
    for (const load of [...selected, { ...loads[0]!, name: "health (again)" }]) {
      // A second, unmeasured, to load the route's code and warm the JIT and the pools.
      runHey(url, load, 1);
      const result = runHey(url, load, args.seconds);
      results.push(result);
      log(`${result.name.padEnd(28)} ${fmt(result.rps, 0).padStart(6)} req/s  p95 ${fmt(result.p95)} ms${result.errors ? `  ${result.errors} errors` : ""}`);
      if (nextUrl) {
        runHey(nextUrl, load, 1);
        const viaNext = runHey(nextUrl, load, args.seconds);
        compared.push(viaNext);
        log(
          `${`${viaNext.name} (via Next)`.padEnd(28)} ${fmt(viaNext.rps, 0).padStart(6)} req/s  p95 ${fmt(viaNext.p95)} ms${viaNext.errors ? `  ${viaNext.errors} errors` : ""}`,
        );
      }
    }
    const report = formatReport(results) + (args.compare ? `\n\n${formatComparison(results, compared)}` : "");
    process.stdout.write(`\n${report}\n`);
    if (args.json) {
      mkdirSync(path.dirname(args.json), { recursive: true });
      writeFileSync(
        args.json,
        JSON.stringify(
          {
            at: new Date().toISOString(),
            seconds: args.seconds,
            workers: args.workers,
            cpus: os.availableParallelism(),
            loadavg: os.loadavg(),
            scale: counts,
            results,
            ...(args.compare ? { throughNext: compared } : {}),
          },
          null,
          2,
        ),
      );
      log(`figures written to ${args.json}`);
    }
  } finally {
    await stopServer(throughNext);
    await stopServer(server);
    await database.drop();
    await databases.teardown();
  }
}

async function buildIfStale() {
  const { builtAt, fresh } = buildFreshness(ROOT);
  if (fresh) return log("build: up to date");
  log(`${builtAt ? "build: sources changed since the last build" : "build: no build yet"}, running next build`);
  const built = spawnSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    // The build imports server modules; nothing connects to this database.
    env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://build@127.0.0.1:1/unused", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (built.status !== 0) throw new Error(`next build failed (exit ${built.status})`);
}

async function seedDemo(databaseUrl: string) {
  process.env.DATABASE_URL ??= databaseUrl;
  const [{ createDbClient }, { seedDemoOrganisation }, { seedDemoPolicies }] = await Promise.all([
    import("../../lib/db/client"),
    import("../../prisma/seed"),
    import("../../lib/policies/seed-demo-policies"),
  ]);
  const db = createDbClient(databaseUrl);
  try {
    await seedDemoOrganisation(db);
    await seedDemoPolicies(db);
  } finally {
    await db.$disconnect();
  }
}

/** What each endpoint is driven with, from the seeded data and credentials made through the API. */
async function prepareLoads(url: string): Promise<Load[]> {
  const cookie = await signInCookie(url, "security@rampart.local");
  const api = portalApi(url, cookie);
  const { token } = await api<{ token: string }>("POST", "/tokens", { name: "bench:portal", role: "security-officer", expiresInDays: 1 });
  const bearer = { authorization: `Bearer ${token}` };

  const apps = await api<{ items: Array<{ id: string; slug: string }> }>("GET", "/applications?q=payments-api");
  const paymentsApi = apps.items.find((a) => a.slug === "payments-api");
  if (!paymentsApi) throw new Error("the demo's payments-api application is missing");
  const someApp = (await api<{ items: Array<{ id: string }> }>("GET", "/applications?page=20&pageSize=20")).items[0]!;
  const policy = (await api<{ items: Array<{ id: string; publishedVersion: { id: string } | null }> }>("GET", `/policies?kind=application&page=10`)).items[0]!;
  if (!policy.publishedVersion) throw new Error("the seeded policy has no published version");

  const target = await api<{ token: string }>("POST", "/delivery/targets", {
    kind: "proxy",
    name: "bench-proxies",
    mode: "microgateway",
    applicationIds: [paymentsApi.id],
  });
  const proxy = { authorization: `Bearer ${target.token}` };
  const first = await fetch(`${url}/api/v1/delivery/bundle`, { headers: proxy });
  if (first.status !== 200) throw new Error(`the first bundle poll answered ${first.status}: ${await first.text()}`);
  const hash = (first.headers.get("etag") ?? "").replaceAll('"', "");
  const heartbeat = JSON.stringify({
    instanceId: "bench-proxy-1",
    hostname: "bench",
    mode: "microgateway",
    proxyVersion: "bench",
    startedAt: new Date().toISOString(),
    runningHash: hash,
    running: [],
    reloadErrors: [],
    counters: { requests: 1000, blocked: 10, upstreamErrors: 0, reloads: 1 },
  });
  const pageHeaders = { cookie, accept: "text/html" };

  const api50 = (name: string, route: string): Load => ({ name, group: "api", path: `/api/v1${route}`, connections: 50, headers: bearer, ok: [200] });
  const page = (name: string, route: string): Load => ({ name, group: "page", path: route, connections: 10, headers: pageHeaders, ok: [200] });
  return [
    { name: "health", group: "baseline", path: "/api/health", connections: 50, headers: {}, ok: [200] },
    api50("me", "/me"),
    api50("applications", "/applications"),
    api50("applications/{id}", `/applications/${someApp.id}`),
    api50("policies", "/policies"),
    api50("policies/{id}", `/policies/${policy.id}`),
    api50("policies/{id}/versions/{v}", `/policies/${policy.id}/versions/${policy.publishedVersion.id}`),
    api50("approvals", "/approvals"),
    api50("audit-events", "/audit-events"),
    { name: "bundle (full)", group: "proxy", path: "/api/v1/delivery/bundle", connections: 50, headers: proxy, ok: [200] },
    { name: "bundle (poll, current)", group: "proxy", path: `/api/v1/delivery/bundle?hash=${hash}&wait=0`, connections: 50, headers: proxy, ok: [304] },
    {
      name: "heartbeat",
      group: "proxy",
      path: "/api/v1/delivery/status",
      connections: 50,
      headers: { ...proxy, "content-type": "application/json" },
      method: "POST",
      body: heartbeat,
      ok: [204],
    },
    page("page /", "/"),
    page("page /applications", "/applications"),
    page("page /policies", "/policies"),
    page("page /approvals", "/approvals"),
    page("page /audit", "/audit"),
  ];
}

function runHey(serverUrl: string, load: Load, seconds: number): Result {
  const heyArgs = ["-z", `${seconds}s`, "-c", String(load.connections), "-m", load.method ?? "GET", "-t", "30"];
  for (const [key, value] of Object.entries(load.headers)) {
    if (key === "content-type") heyArgs.push("-T", value);
    else heyArgs.push("-H", `${key}: ${value}`);
  }
  if (load.body) heyArgs.push("-d", load.body);
  heyArgs.push(`${serverUrl}${load.path}`);
  const run = spawnSync(HEY, heyArgs, { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`hey failed for ${load.name}: ${run.stderr || run.stdout}`);
  return parseHey(load, run.stdout);
}

/** hey's text summary: Requests/sec, the latency distribution (seconds) and the status codes. */
export function parseHey(load: Load, out: string): Result {
  const number = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN);
  const percentile = (p: number) => number(new RegExp(`\\b${p}% in ([0-9.]+) secs`)) * 1000;
  let answered = 0;
  let other = 0;
  for (const [, code, count] of out.matchAll(/\[(\d+)\]\s+(\d+) responses/g)) {
    if (load.ok.includes(Number(code))) answered += Number(count);
    else other += Number(count);
  }
  const failed = [...out.matchAll(/^\s+\[(\d+)\]\s+Get|^\s+\[(\d+)\]\s+Post/gm)].reduce((sum, m) => sum + Number(m[1] ?? m[2]), 0);
  return {
    name: load.name,
    group: load.group,
    connections: load.connections,
    requests: answered,
    rps: number(/Requests\/sec:\s+([0-9.]+)/),
    p50: percentile(50),
    p95: percentile(95),
    p99: percentile(99),
    errors: other + failed,
  };
}

function formatReport(results: Result[]): string {
  const health = results.find((r) => r.name === "health")!;
  const lines = [
    `portal under load: ${args.seconds} s per endpoint, workers ${args.workers ?? "(default)"}, ${os.availableParallelism()} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
    "",
    "| endpoint | conns | req/s | p50 ms | p95 ms | p99 ms | errors | req/s ÷ health | p95 ÷ health |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of results) {
    lines.push(
      `| ${r.name} | ${r.connections} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${r.errors} | ${fmt(r.rps / health.rps, 2)} | ${fmt(r.p95 / health.p95, 1)} |`,
    );
  }
  return lines.join("\n");
}

/** Each endpoint served by the API front beside the same through Next.js, measured one right after the other. */
function formatComparison(front: Result[], viaNext: Result[]): string {
  const lines = [
    "API front ÷ through Next.js (same database, same run, each pair measured back to back):",
    "",
    "| endpoint | req/s front | req/s via Next | req/s ratio | p95 ms front | p95 ms via Next | p95 ratio |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const [i, f] of front.entries()) {
    const n = viaNext[i]!;
    lines.push(`| ${f.name} | ${fmt(f.rps, 0)} | ${fmt(n.rps, 0)} | ${fmt(f.rps / n.rps, 2)} | ${fmt(f.p95)} | ${fmt(n.p95)} | ${fmt(f.p95 / n.p95, 2)} |`);
  }
  return lines.join("\n");
}

function fmt(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "—";
}

function startServer(databaseUrl: string, port: number, extraEnv: Record<string, string> = {}): ChildProcess {
  const execArgv = ["--import", "tsx"];
  if (args.cpuProf) {
    mkdirSync(args.cpuProf, { recursive: true });
    execArgv.unshift("--cpu-prof", "--cpu-prof-dir", args.cpuProf);
  }
  const child = spawn(process.execPath, [...execArgv, "lib/cli/serve.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...testDeliveryKeys(),
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      ...(args.workers ? { RAMPART_WORKERS: args.workers } : {}),
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  child.stdout!.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) log(`portal | ${line}`);
  });
  return child;
}

async function waitForHealth(url: string, server: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the portal exited with code ${server.exitCode} before it was healthy`);
    const healthy = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the portal was not healthy within ${timeoutMs} ms`);
}

async function stopServer(server: ChildProcess | undefined) {
  if (!server || server.exitCode !== null || server.pid === undefined) return;
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  server.kill("SIGTERM");
  const timer = setTimeout(() => server.pid !== undefined && process.kill(-server.pid, "SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

log(`scale: ${SCALE.teams} teams, ${SCALE.applications} applications, ${SCALE.policyVersions} policy versions, ${SCALE.auditEvents} audit events`);
await main();
