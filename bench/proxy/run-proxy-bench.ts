// npm run bench:proxy -- [--duration 5] [--rounds 3] [--connections 32] [--workers N]
//
// Throughput and latency of Rampart's proxy against a pass-through Node.js proxy
// with no policy (the floor for any Node.js proxy), nginx as a plain reverse
// proxy and nginx + ModSecurity + OWASP CRS (where installed), on loopback,
// same origin, same load (wrk), alternating runs; then the policy compile time
// of an application policy with a 500-operation OpenAPI spec, and reload
// latency. A benchmark, not a test: it prints figures and the baseline they
// are compared with.
//
// The request: POST /api/items?page=2&sort=name with a small JSON body, so
// Rampart enforces baseline-standard on a query string and a JSON body.
//
// Both Node.js rows run under the same loader (tsx) with the same worker
// count. Next to req/s, each row shows the CPU time its processes spent per
// request (/proc, the proxy's whole process tree): on a machine other work
// also loads, throughput swings with the share of the cores a row happened
// to get, while CPU per request is the proxy's own cost.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { compilePolicy, mergePolicies, parsePolicyDocument, type BaselinePolicy, type ApplicationPolicy } from "@/lib/policy-spec";
import { newOpenApiValidation } from "../../proxy/middleware/openapi/new-openapi-validation.js";
import { compileRoute } from "../../proxy/runtime/compile-route.js";
import { requestContext } from "../../proxy/test-support/bundle-fixtures.js";
import { workerSettings } from "../../proxy/server/run-proxy.js";
import { parseCliArgs } from "../../proxy/config/cli-options.js";

const REPO = path.resolve(import.meta.dirname, "../..");
const BASELINE = path.join(REPO, "examples/policies/baseline-standard.yaml");
const TARGET_PATH = "/api/items?page=2&sort=name";
const BODY = '{"name":"widget","qty":3,"tags":["blue","large"]}';

interface Args {
  duration: number;
  rounds: number;
  connections: number;
  workers: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { duration: 5, rounds: 3, connections: 32, workers: os.availableParallelism() };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]!.replace(/^--/, "") as keyof Args;
    if (!(key in args)) throw new Error(`unknown flag ${argv[i]}`);
    args[key] = Number(argv[i + 1]);
  }
  return args;
}

const has = (command: string) => spawnSync("sh", ["-c", `command -v ${command}`]).status === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function get(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? "GET", headers: init.headers, agent: false }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

async function waitUntil(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${what} did not come up`);
    await sleep(100);
  }
}

// ------------------------------------------------------------------ servers

interface Target {
  name: string;
  url: string;
  /** The process whose tree serves the row (primary and workers). */
  pid: number | undefined;
  stop(): void;
}

const CLOCK_TICK_MS = 1000 / Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim() || 100);

/** User + system CPU time of a process and all its descendants, in ms (Linux /proc). */
function treeCpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  let total = 0;
  const visit = (p: number): void => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime, stime, cutime, cstime (fields 14–17): reaped children count in the parent's c* fields.
      total += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * CLOCK_TICK_MS;
      for (const task of readdirSync(`/proc/${p}/task`)) {
        const children = readFileSync(`/proc/${p}/task/${task}/children`, "utf8").trim();
        if (children) for (const child of children.split(" ")) visit(Number(child));
      }
    } catch {
      // the process ended meanwhile
    }
  };
  visit(pid);
  return total;
}

function nginxConfig(dir: string, name: string, port: number, workers: number, body: string, modsecurity = false): string {
  const file = path.join(dir, `${name}.conf`);
  writeFileSync(
    file,
    `${modsecurity ? "load_module /usr/lib/nginx/modules/ngx_http_modsecurity_module.so;\n" : ""}worker_processes ${workers};
pid ${dir}/${name}.pid;
error_log ${dir}/${name}-error.log error;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/${name}-body;
  proxy_temp_path ${dir}/${name}-proxy;
  fastcgi_temp_path ${dir}/${name}-fastcgi;
  uwsgi_temp_path ${dir}/${name}-uwsgi;
  scgi_temp_path ${dir}/${name}-scgi;
  ${body}
}
`,
  );
  return file;
}

function startNginx(file: string): ChildProcess {
  return spawn("nginx", ["-c", file, "-e", path.join(path.dirname(file), "nginx-startup-error.log")], { stdio: "ignore" });
}

async function startOrigin(dir: string, useNginx: boolean): Promise<{ url: string; kind: string; stop(): void }> {
  const port = await freePort();
  if (useNginx) {
    const child = startNginx(
      nginxConfig(
        dir,
        "origin",
        port,
        1,
        `server { listen 127.0.0.1:${port} backlog=4096; keepalive_requests 1000000; location / { default_type application/json; return 200 '{"ok":true}'; } }`,
      ),
    );
    await waitUntil(async () => (await get(`http://127.0.0.1:${port}/`)).status === 200, 5000, "origin");
    return { url: `http://127.0.0.1:${port}`, kind: "nginx (return 200, 1 worker)", stop: () => child.kill("SIGQUIT") };
  }
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}`, kind: "node:http (1 process)", stop: () => server.close() };
}

async function startRampart(originUrl: string, workers: number, dir: string): Promise<Target & { admin: string; policy: string }> {
  const port = await freePort();
  const admin = await freePort();
  const policy = path.join(dir, "baseline.yaml");
  copyFileSync(BASELINE, policy);
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(REPO, "proxy/cli.ts"),
      "--policy",
      policy,
      "--upstream",
      originUrl,
      "--listen",
      `127.0.0.1:${port}`,
      "--admin-listen",
      `127.0.0.1:${admin}`,
      "--workers",
      String(workers),
      "--decision-log",
      path.join(dir, "decisions.log"),
    ],
    { cwd: REPO, stdio: ["ignore", "ignore", "ignore"] },
  );
  await waitUntil(async () => (await get(`http://127.0.0.1:${admin}/readyz`)).status === 200, 30_000, "rampart");
  return { name: "rampart", url: `http://127.0.0.1:${port}`, pid: child.pid, admin: `http://127.0.0.1:${admin}`, policy, stop: () => child.kill("SIGTERM") };
}

/** A pass-through Node.js proxy with no policy: the floor any Node.js proxy starts from. */
async function startMinimalNodeProxy(originUrl: string, workers: number): Promise<Target> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "bench/proxy/minimal-node-proxy.ts"), String(port), originUrl, String(workers)], {
    cwd: REPO,
    stdio: "ignore",
  });
  await waitUntil(async () => (await get(`http://127.0.0.1:${port}/`)).status === 200, 30_000, "minimal node proxy");
  return { name: "node (no policy)", url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => child.kill("SIGTERM") };
}

async function startNginxProxy(originUrl: string, workers: number, dir: string, modsecurity: boolean): Promise<Target> {
  const port = await freePort();
  const name = modsecurity ? "nginx-modsec" : "nginx";
  let rules = "";
  if (modsecurity) {
    rules = path.join(dir, "modsec-main.conf");
    writeFileSync(
      rules,
      [
        "Include /etc/nginx/modsecurity.conf",
        "SecRuleEngine On",
        "SecAuditEngine Off",
        "SecResponseBodyAccess Off",
        `SecTmpDir ${dir}`,
        `SecDataDir ${dir}`,
        "SecUnicodeMapFile /etc/nginx/unicode.mapping 20127",
        // owasp-crs.load uses IncludeOptional, which libmodsecurity 3 does not know: the same files, spelled out.
        "Include /etc/modsecurity/crs/crs-setup.conf",
        "Include /etc/modsecurity/crs/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf",
        "Include /usr/share/modsecurity-crs/rules/*.conf",
        "Include /etc/modsecurity/crs/RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf",
        "",
      ].join("\n"),
    );
  }
  const child = startNginx(
    nginxConfig(
      dir,
      name,
      port,
      workers,
      `upstream origin { server ${originUrl.replace("http://", "")}; keepalive 256; }
  server {
    listen 127.0.0.1:${port} backlog=4096;
    keepalive_requests 1000000;
    ${modsecurity ? `modsecurity on; modsecurity_rules_file ${rules};` : ""}
    location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }`,
      modsecurity,
    ),
  );
  await waitUntil(async () => (await get(`http://127.0.0.1:${port}/`)).status === 200, 20_000, name);
  return { name: modsecurity ? "nginx+modsecurity+crs" : "nginx", url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => child.kill("SIGQUIT") };
}

// --------------------------------------------------------------------- load

interface RunResult {
  /** CPU time of the target's processes per completed request, µs. */
  cpuUs: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

function wrk(target: Target, args: Args, script: string, seconds: number): RunResult {
  const url = target.url;
  const cpuBefore = treeCpuMs(target.pid);
  const out = spawnSync("wrk", ["-t1", `-c${args.connections}`, `-d${seconds}s`, "--latency", "-s", script, `${url}${TARGET_PATH}`], {
    encoding: "utf8",
  }).stdout;
  const ms = (label: string) => {
    const m = new RegExp(`^\\s+${label}%\\s+([\\d.]+)(us|ms|s)`, "m").exec(out);
    if (!m) return NaN;
    const value = Number(m[1]);
    return m[2] === "us" ? value / 1000 : m[2] === "s" ? value * 1000 : value;
  };
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const cpuMs = treeCpuMs(target.pid) - cpuBefore;
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
  return {
    cpuUs: (cpuMs * 1000) / requests,
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    p50: ms("50"),
    p99: ms("99"),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    errors: errors ? errors.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

// ------------------------------------------------------- compile and reload

function bigApplicationPolicy(operations: number): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < operations / 2; i++) {
    paths[`/resource${i}/{id}`] = {
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", pattern: "^[a-z0-9-]{1,64}$" } }],
      get: {
        operationId: `get${i}`,
        parameters: [
          { name: "expand", in: "query", schema: { type: "array", items: { type: "string", enum: ["owner", "history"] } } },
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100 } },
        ],
        responses: { "200": { description: "ok" } },
      },
      put: {
        operationId: `put${i}`,
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } } },
        responses: { "200": { description: "ok" } },
      },
    };
  }
  return {
    apiVersion: "rampart.dev/v1alpha1",
    kind: "ApplicationPolicy",
    metadata: { application: "big-api", applicationVersion: "1.0.0" },
    openapi: {
      validation: "block",
      spec: {
        openapi: "3.1.0",
        info: { title: "Big API", version: "1.0.0" },
        paths,
        components: {
          schemas: {
            Thing: {
              type: "object",
              additionalProperties: false,
              required: ["name", "kind"],
              properties: {
                name: { type: "string", minLength: 1, maxLength: 200 },
                kind: { type: "string", enum: ["a", "b", "c"] },
                email: { type: "string", format: "email" },
                tags: { type: "array", maxItems: 20, items: { type: "string", maxLength: 40 } },
                owner: { $ref: "#/components/schemas/Owner" },
              },
            },
            Owner: { type: "object", properties: { id: { type: "string", format: "uuid" }, name: { type: "string" } } },
          },
        },
      },
    },
  };
}

function measureCompile(): void {
  const baseline = parsePolicyDocument(readFileSync(BASELINE, "utf8"), { kind: "BaselinePolicy" });
  if (!baseline.ok) throw new Error("baseline invalid");
  const document = bigApplicationPolicy(500);
  const text = JSON.stringify(document);
  const times = { parse: [] as number[], mergeCompile: [] as number[], runtime: [] as number[] };
  const settings = workerSettings(parseCliArgs(["--policy", BASELINE, "--upstream", "http://127.0.0.1:1"], {} as NodeJS.ProcessEnv));
  let operations = 0;
  for (let run = 0; run < 5; run++) {
    let t = performance.now();
    const app = parsePolicyDocument(text, { kind: "ApplicationPolicy" });
    times.parse.push(performance.now() - t);
    if (!app.ok) throw new Error(JSON.stringify(app.errors.slice(0, 3)));
    t = performance.now();
    const merged = mergePolicies(baseline.policy as BaselinePolicy, app.policy as ApplicationPolicy, { now: new Date() });
    if (!merged.ok) throw new Error(JSON.stringify(merged.errors));
    const bundle = compilePolicy(merged.effective);
    times.mergeCompile.push(performance.now() - t);
    operations = bundle.openapi!.operations.length;
    t = performance.now();
    compileRoute({ name: "big", host: null, pathPrefix: "/", upstream: "http://127.0.0.1:1", bundle }, settings.runtime);
    times.runtime.push(performance.now() - t);
  }
  console.log(`\npolicy compile, application policy with a ${operations}-operation OpenAPI spec (${(text.length / 1024).toFixed(0)} KiB), median of 5:`);
  console.log(`  parse + validate (lib/policy-spec)      ${median(times.parse).toFixed(1)} ms`);
  console.log(`  merge + compile bundle (lib/policy-spec) ${median(times.mergeCompile).toFixed(1)} ms`);
  console.log(`  proxy runtime compile (middlewares, OpenAPI validators, detector) ${median(times.runtime).toFixed(1)} ms`);
  measureOpenApiPerRequest(bundleOf(baseline.policy as BaselinePolicy, text));
}

function bundleOf(baseline: BaselinePolicy, applicationText: string) {
  const app = parsePolicyDocument(applicationText, { kind: "ApplicationPolicy" });
  if (!app.ok) throw new Error("application policy invalid");
  const merged = mergePolicies(baseline, app.policy as ApplicationPolicy, { now: new Date() });
  if (!merged.ok) throw new Error(JSON.stringify(merged.errors));
  return compilePolicy(merged.effective);
}

/**
 * OpenAPI validation alone, in process: the OpenAPI compile (validators for
 * every operation) and the per-request cost of validating a GET with two query
 * parameters and a PUT with a JSON body, against the cost of the same requests
 * through an operation with no schemas (the lookup and parsing the validator
 * cannot avoid) — the baseline in the same run.
 */
function measureOpenApiPerRequest(bundle: ReturnType<typeof compilePolicy>): void {
  const openapi = bundle.openapi!;
  const compileTimes: number[] = [];
  let middleware = newOpenApiValidation(openapi);
  for (let run = 0; run < 5; run++) {
    const t = performance.now();
    middleware = newOpenApiValidation(openapi);
    compileTimes.push(performance.now() - t);
  }
  const bare = newOpenApiValidation({
    ...openapi,
    operations: openapi.operations.map((o) => ({
      ...o,
      parameters: o.parameters.map((p) => ({ ...p, schema: null })),
      requestBody: o.requestBody ? { ...o.requestBody, content: Object.fromEntries(Object.keys(o.requestBody.content).map((k) => [k, null])) } : null,
    })),
  });
  const body = JSON.stringify({
    name: "widget",
    kind: "a",
    email: "someone@example.com",
    tags: ["blue", "large"],
    owner: { id: "3f2504e0-4f89-11d3-9a0c-0305e82c3301", name: "o" },
  });
  const requests = [
    () => requestContext({ method: "GET", url: "/resource217/item-42?expand=owner&limit=10" }),
    () => requestContext({ method: "PUT", url: "/resource217/item-42", headers: { "content-type": "application/json" }, body }),
  ];
  const time = (m: typeof middleware): number => {
    const n = 20_000;
    const contexts = Array.from({ length: n }, (_, i) => requests[i % 2]!());
    const t = performance.now();
    for (const ctx of contexts) {
      if (m.onRequest!(ctx) !== null) throw new Error("benchmark request refused by OpenAPI validation");
      if (m.onBody!(ctx) !== null) throw new Error("benchmark body refused by OpenAPI validation");
    }
    return ((performance.now() - t) * 1000) / n;
  };
  for (let i = 0; i < 2; i++) {
    // warm-up
    time(middleware);
    time(bare);
  }
  const validating = median([time(middleware), time(middleware), time(middleware)]);
  const lookupOnly = median([time(bare), time(bare), time(bare)]);
  console.log(`\nOpenAPI validation (${openapi.operations.length} operations), median of 5 compiles / 3 runs of 20 000 requests:`);
  console.log(`  compile (every operation's validators)  ${median(compileTimes).toFixed(1)} ms`);
  console.log(`  per request, validating                 ${validating.toFixed(2)} µs`);
  console.log(`  per request, same operations no schemas ${lookupOnly.toFixed(2)} µs  (baseline: lookup and parsing only)`);
  console.log(`  validation's own cost                   ${(validating - lookupOnly).toFixed(2)} µs per request`);
}

async function measureReload(rampart: { admin: string; policy: string; url: string }): Promise<void> {
  const original = readFileSync(rampart.policy, "utf8");
  const generation = async () => Number(/rampart_policy_generation (\d+)/.exec((await get(`${rampart.admin}/metrics`)).body)?.[1] ?? 0);
  const latencies: number[] = [];
  for (let i = 0; i < 5; i++) {
    const before = await generation();
    const started = performance.now();
    writeFileSync(rampart.policy, original.replace(/maxAgeSeconds: 31536000/, `maxAgeSeconds: ${31536000 - i - 1}`));
    await waitUntil(async () => (await generation()) > before && (await get(`${rampart.admin}/readyz`)).status === 200, 10_000, "reload");
    latencies.push(performance.now() - started);
  }
  writeFileSync(rampart.policy, original);
  console.log(
    `\nreload latency (file written → new policy in force in every worker, incl. the 250 ms debounce), median of 5: ${median(latencies).toFixed(0)} ms (min ${Math.min(...latencies).toFixed(0)}, max ${Math.max(...latencies).toFixed(0)})`,
  );
}

// --------------------------------------------------------------------- main

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!has("wrk")) throw new Error("wrk is not installed (apt-get install -y wrk)");
  const nginx = has("nginx");
  const modsec = nginx && existsSync("/usr/lib/nginx/modules/ngx_http_modsecurity_module.so") && existsSync("/usr/share/modsecurity-crs/owasp-crs.load");
  const dir = mkdtempSync(path.join(os.tmpdir(), "rampart-bench-"));
  const script = path.join(dir, "post.lua");
  writeFileSync(
    script,
    `wrk.method = "POST"\nwrk.body = '${BODY}'\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) bench"\n`,
  );

  const stops: Array<() => void> = [];
  try {
    const origin = await startOrigin(dir, nginx);
    stops.push(origin.stop);
    const rampart = await startRampart(origin.url, args.workers, dir);
    stops.push(rampart.stop);
    const targets: Target[] = [rampart, await startMinimalNodeProxy(origin.url, args.workers)];
    if (nginx) targets.push(await startNginxProxy(origin.url, args.workers, dir, false));
    if (modsec) targets.push(await startNginxProxy(origin.url, args.workers, dir, true));
    for (const t of targets.slice(1)) stops.push(t.stop);

    console.log(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), node ${process.version}`);
    console.log(
      `origin: ${origin.kind}; workers: ${args.workers} per proxy; wrk -t1 -c${args.connections} -d${args.duration}s, ${args.rounds} alternating rounds`,
    );
    console.log(
      `load average at start: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")} (other work on the machine; compare the CPU/request column when it is high)`,
    );
    console.log(`request: POST ${TARGET_PATH} with ${BODY.length} bytes of JSON\n`);

    // Sanity: each target answers the benchmark request with 200, and Rampart/ModSecurity block an attack.
    for (const t of targets) {
      const ok = await get(`${t.url}${TARGET_PATH}`, { method: "POST", body: BODY, headers: { "content-type": "application/json" } });
      const attack = await get(`${t.url}/api/items?q=1'%20UNION%20SELECT%20password%20FROM%20users--`);
      console.log(`check ${t.name.padEnd(22)} benign → ${ok.status}, SQL injection → ${attack.status}`);
      if (ok.status !== 200) throw new Error(`${t.name} does not answer the benchmark request with 200`);
    }

    for (const t of targets) wrk(t, args, script, 3); // warm-up (JIT, connection pools)
    const results = new Map<string, RunResult[]>(targets.map((t) => [t.name, []]));
    for (let round = 0; round < args.rounds; round++) {
      const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
      for (const t of order) {
        const r = wrk(t, args, script, args.duration);
        results.get(t.name)!.push(r);
        console.log(
          `round ${round + 1} ${t.name.padEnd(22)} ${r.rps.toFixed(0).padStart(7)} req/s  ${r.cpuUs.toFixed(0).padStart(5)} µs CPU/req  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms${r.non2xx ? `  non-2xx ${r.non2xx}` : ""}${r.errors ? `  socket errors ${r.errors}` : ""}`,
        );
      }
    }

    console.log("\nmedian over rounds:");
    console.log("target                   req/s  µs CPU/req   p50 ms   p99 ms");
    const summary = new Map<string, { rps: number; cpuUs: number; p50: number; p99: number }>();
    for (const t of targets) {
      const list = results.get(t.name)!;
      const s = {
        rps: median(list.map((r) => r.rps)),
        cpuUs: median(list.map((r) => r.cpuUs)),
        p50: median(list.map((r) => r.p50)),
        p99: median(list.map((r) => r.p99)),
      };
      summary.set(t.name, s);
      console.log(
        `${t.name.padEnd(22)} ${s.rps.toFixed(0).padStart(8)}  ${s.cpuUs.toFixed(0).padStart(9)} ${s.p50.toFixed(2).padStart(8)} ${s.p99.toFixed(2).padStart(8)}`,
      );
    }
    const r = summary.get("rampart")!;
    const bare = summary.get("node (no policy)")!;
    console.log(`\nrampart / node (no policy)       = ${(r.rps / bare.rps).toFixed(2)}×  (what the policy costs over a bare Node.js proxy; target ≥ 0.95×)`);
    console.log(
      `  per CPU time                   = ${(bare.cpuUs / r.cpuUs).toFixed(2)}×  (node's CPU per request ÷ rampart's: the same ratio, free of what other load took from each row)`,
    );
    if (summary.has("nginx")) console.log(`rampart / nginx                  = ${(r.rps / summary.get("nginx")!.rps).toFixed(2)}×  (target ≥ 0.4×)`);
    if (summary.has("nginx+modsecurity+crs"))
      console.log(`rampart / nginx+modsecurity+crs  = ${(r.rps / summary.get("nginx+modsecurity+crs")!.rps).toFixed(1)}×  (target ≥ 10×)`);
    if (!nginx) console.log("\nnginx is not installed: no baseline to compare with (apt-get install -y nginx libnginx-mod-http-modsecurity modsecurity-crs)");
    else if (!modsec) console.log("\nModSecurity/CRS not installed: no WAF baseline (apt-get install -y libnginx-mod-http-modsecurity modsecurity-crs)");

    await measureReload(rampart);
  } finally {
    for (const stop of stops.reverse()) stop();
  }
  measureCompile();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
