// `npm run demo`: beside a running portal (`npm start` in another terminal), the demo
// payments API and a Rampart proxy connected to the portal, then one ordinary request and
// one attack through it, so a newcomer sees the policy delivered and a request blocked,
// and finds the proxy's counters on the Delivery page. Everything goes through the
// portal's public API as the demo security officer, exactly as a person would do it:
// a proxy target for payments-api (its token rotated on later runs), the pinned public
// key, and the proxy started with them. Ctrl-C stops the proxy and the demo application.
//
//   PORTAL_URL=http://127.0.0.1:$PORT (PORT default 3000)   DEMO_LISTEN=127.0.0.1:8080
//   RAMPART_DATA_DIR=.data (the demo keeps its files in $RAMPART_DATA_DIR/demo)
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ensureDemoCertificates } from "@/lib/demo/demo-certificates";
import { startDemoUpstream, type DemoUpstream } from "@/lib/demo/demo-upstream";
import { portalApi, signInCookie } from "@/lib/demo/portal-api-client";
import { DEMO_SECURITY_OFFICER, registerDemoTarget } from "@/lib/demo/register-demo-target";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const APPLICATION = "payments-api";
const unset = (value: unknown) => (value === "" ? undefined : value);

const demoEnvSchema = z.object({
  PORT: z.preprocess(unset, z.coerce.number().int().min(1).max(65535).default(3000)),
  PORTAL_URL: z.preprocess(unset, z.url().optional()),
  DEMO_LISTEN: z.preprocess(
    unset,
    z
      .string()
      .regex(/^[\w.-]+:\d+$/, "must be host:port")
      .default("127.0.0.1:8080"),
  ),
  RAMPART_DATA_DIR: z.preprocess(unset, z.string().default(".data")),
  /** How long to wait for the portal (a first `npm start` builds it first). */
  DEMO_WAIT_SECONDS: z.preprocess(unset, z.coerce.number().int().min(0).default(900)),
});

const say = (line: string) => process.stdout.write(`demo: ${line}\n`);
function fail(message: string): never {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(1);
}

const parsed = demoEnvSchema.safeParse(process.env);
if (!parsed.success) fail(`invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
const env = parsed.data;
const portalUrl = (env.PORTAL_URL ?? `http://127.0.0.1:${env.PORT}`).replace(/\/$/, "");
const demoDir = path.resolve(ROOT, env.RAMPART_DATA_DIR, "demo");

let proxy: ChildProcess | undefined;
let upstream: DemoUpstream | undefined;
let stopping = false;

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  if (proxy && proxy.exitCode === null) {
    const exited = new Promise((resolve) => proxy!.once("exit", resolve));
    proxy.kill("SIGTERM");
    await exited;
  }
  await upstream?.close();
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void stop(0));

async function waitForPortal() {
  const deadline = Date.now() + env.DEMO_WAIT_SECONDS * 1000;
  let told = 0;
  for (;;) {
    try {
      if ((await fetch(`${portalUrl}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) fail(`no portal answers at ${portalUrl}: start it with \`npm start\` (or set PORTAL_URL)`);
    if (Date.now() - told > 15_000) {
      say(`waiting for the portal at ${portalUrl} (\`npm start\` in another terminal; a first start builds the portal first)`);
      told = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** What the application's policy in force says about TLS to its upstream: the name to verify and the CA reference. */
async function upstreamTlsOf(applicationId: string) {
  const api = portalApi(portalUrl, await signInCookie(portalUrl, DEMO_SECURITY_OFFICER));
  const view = await api<{ effective: { upstreamTls?: { enabled?: boolean; serverName?: string; caRef?: string } | null } }>(
    "GET",
    `/applications/${applicationId}/policy/effective`,
  );
  return view.effective.upstreamTls ?? null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForReady(adminUrl: string, child: ChildProcess, logFile: string) {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) fail(`the proxy exited with code ${child.exitCode}: see ${logFile}`);
    try {
      if ((await fetch(`${adminUrl}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  fail(`the proxy did not become ready within two minutes: see ${logFile}`);
}

async function tryRequest(url: string, init: { headers?: Record<string, string> } = {}) {
  const response = await fetch(url, { headers: init.headers, redirect: "manual" });
  const body = await response.text();
  return { status: response.status, body: body.trim().slice(0, 300) };
}

/** The proxy's decision line for a block response (matched by its request id), waiting briefly for the log write. */
async function findDecision(logFile: string, responseBody: string): Promise<{ ruleId: string; part: string; name: string; excerpt: string } | null> {
  const requestId = /"requestId":"([^"]+)"/.exec(responseBody)?.[1];
  if (!requestId) return null;
  for (let attempt = 0; attempt < 20; attempt++) {
    if (existsSync(logFile)) {
      for (const line of readFileSync(logFile, "utf8").split("\n").reverse()) {
        if (!line.includes(requestId)) continue;
        try {
          const entry = JSON.parse(line) as { requestId?: string; ruleId?: string; part?: string; name?: string; excerpt?: string };
          if (entry.requestId === requestId && entry.ruleId)
            return { ruleId: entry.ruleId, part: entry.part ?? "", name: entry.name ?? "", excerpt: entry.excerpt ?? "" };
        } catch {
          // a line being written
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

async function main() {
  const started = performance.now();
  await waitForPortal();
  say(`portal: ${portalUrl}`);
  const target = await registerDemoTarget({ portalUrl, applicationSlug: APPLICATION });
  say(`registered proxy target for ${APPLICATION} as ${DEMO_SECURITY_OFFICER} (a fresh token; see Delivery in the portal)`);

  mkdirSync(path.join(demoDir, "secrets"), { recursive: true });
  const keyFile = path.join(demoDir, "portal-signing-key.pem");
  writeFileSync(keyFile, target.publicKeyPem);

  // The demo application listens where the portal says payments-api lives, with TLS when
  // its policy requires TLS to the upstream (the seeded policy does, verifying the name below).
  const upstreamUrl = new URL(target.application.upstreamUrl);
  const tls = await upstreamTlsOf(target.application.id);
  if (upstreamUrl.protocol !== "https:" && tls && tls.enabled !== false) {
    fail(`${APPLICATION}'s upstream is ${upstreamUrl.href}, but its policy requires TLS to the upstream: set an https:// upstream on the application page`);
  }
  const serverName = tls?.serverName ?? upstreamUrl.hostname;
  let certificates = null;
  if (upstreamUrl.protocol === "https:") {
    certificates = await ensureDemoCertificates(demoDir, serverName);
    // secret:<name> references resolve to <name>.pem in --secrets-dir (proxy/README.md).
    const caName = tls?.caRef?.startsWith("secret:") ? tls.caRef.slice("secret:".length) : "demo-ca";
    writeFileSync(path.join(demoDir, "secrets", `${caName}.pem`), certificates.caPem);
  }
  upstream = await startDemoUpstream({ host: upstreamUrl.hostname, port: Number(upstreamUrl.port || (certificates ? 443 : 80)), certificates });
  say(
    `demo ${APPLICATION}${certificates ? ` (HTTPS with a certificate for ${serverName} from a CA made for this checkout; the proxy verifies it, as the policy requires)` : ""}: ${upstream.url}`,
  );

  const adminPort = await freePort();
  const logFile = path.join(demoDir, "proxy.log");
  const decisionLog = path.join(demoDir, "decisions.log");
  const log = createWriteStream(logFile, { flags: "a" });
  proxy = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(ROOT, "proxy", "cli.ts"),
      "--portal",
      portalUrl,
      "--portal-key",
      keyFile,
      "--upstream",
      upstreamUrl.origin,
      "--secrets-dir",
      path.join(demoDir, "secrets"),
      "--listen",
      env.DEMO_LISTEN,
      "--admin-listen",
      `127.0.0.1:${adminPort}`,
      "--instance-id",
      "demo-proxy",
      "--state-dir",
      path.join(demoDir, "proxy-state"),
      "--heartbeat-interval",
      "5",
      "--workers",
      "1",
      "--decision-log",
      decisionLog,
    ],
    { cwd: ROOT, env: { ...process.env, RAMPART_PORTAL_TOKEN: target.token }, stdio: ["ignore", "pipe", "pipe"] },
  );
  proxy.stdout!.pipe(log);
  proxy.stderr!.pipe(log);
  proxy.once("exit", (code) => {
    if (!stopping) {
      process.stderr.write(`demo: the proxy stopped (exit ${code}); its log: ${logFile}\n`);
      void stop(1);
    }
  });
  await waitForReady(`http://127.0.0.1:${adminPort}`, proxy, logFile);
  const proxyUrl = `http://${env.DEMO_LISTEN}`;
  say(`proxy connected to the portal, enforcing ${APPLICATION}'s published policy: ${proxyUrl} (log ${logFile})`);

  const before = upstream.received();
  const allowed = await tryRequest(`${proxyUrl}/health`);
  process.stdout.write(`\n  GET ${proxyUrl}/health\n  → ${allowed.status} ${allowed.body}\n`);
  const reachedAfterAllowed = upstream.received();
  const blocked = await tryRequest(`${proxyUrl}/health`, { headers: { "User-Agent": "sqlmap/1.8 (https://sqlmap.org)" } });
  process.stdout.write(`\n  GET ${proxyUrl}/health with User-Agent: sqlmap/1.8 (an attack tool)\n  → ${blocked.status} ${blocked.body}\n`);
  const decision = await findDecision(decisionLog, blocked.body);
  if (decision) process.stdout.write(`  blocked by rule ${decision.ruleId} (${decision.part} ${decision.name}: "${decision.excerpt}")\n`);
  process.stdout.write("\n");
  const reached =
    (reachedAfterAllowed - before > 0 ? "the allowed request reached the demo application" : "the allowed request did not reach the demo application") +
    (upstream.received() === reachedAfterAllowed ? ", the blocked one never did" : ", and so did the blocked one");
  say(`ready in ${((performance.now() - started) / 1000).toFixed(1)} s: ${reached}.`);
  say(`see it in the portal: ${portalUrl}/delivery (the proxy "demo-proxy" in sync, its requests and blocked counts)`);
  say(`try more: curl -i '${proxyUrl}/payments/internal'   curl -i '${proxyUrl}/health' -H 'User-Agent: sqlmap'`);
  say("Ctrl-C stops the proxy and the demo application");
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  void stop(1);
});
