// How much the decision log writes under attack (issue #13: "the decision log cannot fill
// a disk"). The proxy (CLI, --workers 1, baseline-standard) is hammered by wrk with mixed
// attacks — SQL injection, XSS, traversal, command injection across several paths — from
// many client addresses (X-Forwarded-For through a trusted hop), as fast as it answers.
// Two runs of the same length in the same process: sampling as shipped (--decision-sample
// 5 per rule × path × client and minute) and sampling off (--decision-sample 0: one line
// per decision, what the log wrote before). Figures: bytes written (FILE + FILE.1), lines,
// requests answered, and the per-120 s extrapolation.
//
//   flock /tmp/rampart-heavy.lock node --import tsx bench/proxy/decision-log-volume.ts [-- --seconds 30 --connections 32]

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const REPO = path.resolve(import.meta.dirname, "../..");
const { values } = parseArgs({
  options: { seconds: { type: "string", default: "30" }, connections: { type: "string", default: "32" }, clients: { type: "string", default: "2000" } },
});
const SECONDS = Number(values.seconds);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
const get = (url: string) =>
  new Promise<number>((resolve) => {
    http
      .get(url, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      })
      .on("error", () => resolve(0));
  });

const origin = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'));
});
await new Promise<void>((r) => origin.listen(0, "127.0.0.1", r));
const originUrl = `http://127.0.0.1:${(origin.address() as net.AddressInfo).port}`;

// wrk's Lua: each request picks an attack, a path and a client address.
const script = path.join(mkdtempSync(path.join(os.tmpdir(), "rampart-dlog-")), "mixed.lua");
writeFileSync(
  script,
  `
local attacks = {
  "q=1%27%20UNION%20SELECT%20password%20FROM%20users--",
  "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
  "file=..%2F..%2F..%2Fetc%2Fpasswd",
  "cmd=%3Bcat%20%2Fetc%2Fpasswd",
  "q=1%27%20OR%20%271%27%3D%271",
  "url=http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2F",
}
local paths = { "/search", "/login", "/api/orders", "/api/users", "/cart", "/checkout", "/profile", "/export" }
local n = 0
request = function()
  n = n + 1
  local a = attacks[(n % #attacks) + 1]
  local p = paths[(math.floor(n / 7) % #paths) + 1]
  local ip = "10." .. (n % 250) .. "." .. (math.floor(n / 250) % ${Math.max(1, Math.ceil(Number(values.clients) / 250))}) .. ".1"
  return wrk.format("GET", p .. "?" .. a, { ["X-Forwarded-For"] = ip })
end
`,
);

async function run(label: string, sample: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rampart-dlog-run-"));
  const log = path.join(dir, "decisions.log");
  const port = await freePort();
  const admin = await freePort();
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(REPO, "proxy/cli.ts"),
      "--policy",
      path.join(REPO, "examples/policies/baseline-standard.yaml"),
      "--upstream",
      originUrl,
      "--listen",
      `127.0.0.1:${port}`,
      "--admin-listen",
      `127.0.0.1:${admin}`,
      "--workers",
      "1",
      "--trusted-proxy",
      "127.0.0.1/32",
      "--decision-log",
      log,
      "--decision-sample",
      String(sample),
      "--decision-log-max-bytes",
      String(64 * 1024 * 1024),
    ],
    { cwd: REPO, stdio: ["ignore", "ignore", "inherit"] },
  );
  const until = Date.now() + 30_000;
  while ((await get(`http://127.0.0.1:${admin}/readyz`)) !== 200) {
    if (Date.now() > until) throw new Error("proxy did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  const out = spawnSync("wrk", ["-t1", `-c${values.connections}`, `-d${SECONDS}s`, "-s", script, `http://127.0.0.1:${port}/`], { encoding: "utf8" }).stdout;
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  const files = [log, `${log}.1`].filter((f) => existsSync(f));
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const text = files.map((f) => readFileSync(f, "utf8")).join("");
  const lines = text.split("\n").filter(Boolean);
  const summaries = lines.filter((l) => l.includes('"decision-summary"')).length;
  const perRun = (v: number) => Math.round((v * 120) / SECONDS);
  console.log(
    `${label.padEnd(34)} ${requests.toLocaleString("en").padStart(9)} requests (${non2xx.toLocaleString("en")} refused), ${bytes.toLocaleString("en").padStart(12)} bytes, ${lines.length.toLocaleString("en").padStart(8)} lines (${summaries} summaries); per 120 s ≈ ${(perRun(bytes) / 1e6).toFixed(1)} MB at this rate`,
  );
}

console.log(`mixed attacks, wrk -c${values.connections}, ${SECONDS} s per run, ~${values.clients} client addresses`);
await run("sampled (5 per key and minute)", 5);
await run("unsampled (a line per decision)", 0);
origin.close();
