// npm run bench:pipeline -- [--requests 200000] [--runs 7]
//
// The policy's own cost per request, in process and without sockets: the
// route compiled from baseline-standard.yaml runs its head and body
// middlewares (deny rules included) on the request bench:proxy sends. CPU time
// of this process (user + system) per request, the minimum over runs: on a
// shared machine the minimum is the figure least disturbed by other work, and
// with no I/O it moves only with the code. A profiling aid next to
// bench:proxy, whose µs CPU/req column also holds Node's HTTP server and the
// upstream hop.

import { readFileSync } from "node:fs";
import path from "node:path";
import { compilePolicy, mergePolicies, parsePolicyDocument, type BaselinePolicy } from "@/lib/policy-spec";
import { parseCliArgs } from "../../proxy/config/cli-options.js";
import { normalizeRequestPath } from "../../proxy/match/normalize-request-path.js";
import { compileRoute } from "../../proxy/runtime/compile-route.js";
import { RequestContext } from "../../proxy/runtime/request-context.js";
import { workerSettings } from "../../proxy/server/run-proxy.js";

const REPO = path.resolve(import.meta.dirname, "../..");
const BASELINE = path.join(REPO, "examples/policies/baseline-standard.yaml");
// Exactly what wrk sends in bench:proxy (run-proxy-bench.ts).
const TARGET = "/api/items?page=2&sort=name";
const BODY = Buffer.from('{"name":"widget","qty":3,"tags":["blue","large"]}');
const RAW_HEADERS = [
  "Host",
  "127.0.0.1:8080",
  "Content-Length",
  String(BODY.length),
  "Content-Type",
  "application/json",
  "User-Agent",
  "Mozilla/5.0 (X11; Linux x86_64) bench",
];

function args(): { requests: number; runs: number } {
  const out = { requests: 200_000, runs: 7 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]!.replace(/^--/, "") as keyof typeof out;
    if (!(key in out)) throw new Error(`unknown flag ${argv[i]}`);
    out[key] = Number(argv[i + 1]);
  }
  return out;
}

function main(): void {
  const { requests, runs } = args();
  const baseline = parsePolicyDocument(readFileSync(BASELINE, "utf8"), { kind: "BaselinePolicy" });
  if (!baseline.ok) throw new Error("baseline invalid");
  const merged = mergePolicies(baseline.policy as BaselinePolicy, null, { now: new Date() });
  if (!merged.ok) throw new Error(JSON.stringify(merged.errors));
  const settings = workerSettings(parseCliArgs(["--policy", BASELINE, "--upstream", "http://127.0.0.1:1"], {} as NodeJS.ProcessEnv));
  const route = compileRoute(
    { name: "bench", host: null, pathPrefix: "/", upstream: "http://127.0.0.1:1", bundle: compilePolicy(merged.effective) },
    settings.runtime,
  );

  const headers: NodeJS.Dict<string> = {};
  for (let i = 0; i < RAW_HEADERS.length; i += 2) headers[RAW_HEADERS[i]!.toLowerCase()] = RAW_HEADERS[i + 1];
  const q = TARGET.indexOf("?");
  const rawPath = TARGET.slice(0, q);
  const query = TARGET.slice(q + 1);

  // As handle-request.ts builds the context; the body as read-body.ts hands it over (a fresh Buffer per request).
  const one = (n: number): void => {
    const ctx = new RequestContext(`b-${n.toString(36)}`, 0, "POST", rawPath, query, headers, RAW_HEADERS, false, null);
    ctx.peer = "127.0.0.1";
    ctx.clientIp = "127.0.0.1";
    ctx.host = "127.0.0.1";
    const p = normalizeRequestPath(rawPath)!;
    ctx.path = p;
    ctx.pathLower = p.toLowerCase();
    ctx.contentLength = BODY.length;
    ctx.hasBody = true;
    ctx.mediaType = "application/json";
    for (const m of route.head) if (m(ctx) !== null) throw new Error("the benchmark request was refused in the head phase");
    const body = Buffer.allocUnsafe(BODY.length);
    BODY.copy(body);
    ctx.body = body;
    for (const m of route.body) if (m(ctx) !== null) throw new Error("the benchmark request was refused in the body phase");
  };

  for (let i = 0; i < 50_000; i++) one(i); // warm-up (JIT)
  const perRequest: number[] = [];
  for (let run = 0; run < runs; run++) {
    const before = process.cpuUsage();
    for (let i = 0; i < requests; i++) one(i);
    const used = process.cpuUsage(before);
    perRequest.push((used.user + used.system) / requests);
  }
  perRequest.sort((a, b) => a - b);
  console.log(
    `policy pipeline (baseline-standard, bench:proxy's request), ${runs} runs of ${requests}: min ${perRequest[0]!.toFixed(2)} µs CPU/request, median ${perRequest[Math.floor(runs / 2)]!.toFixed(2)}`,
  );
}

main();
