// Real proxy processes for the browser tests: `node --import tsx proxy/cli.ts` in connected
// mode, exactly as an operator starts one, on free loopback ports. Each process's stderr
// (the proxy's JSON event lines) is kept in memory and in test-results/e2e/ for the
// reader of a failure. Every process started here is tracked, so a test file can stop all
// of them in afterAll, and they are killed with this process if it dies first.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";

const REPO = path.resolve(import.meta.dirname, "../../..");
const LOG_DIR = path.join(REPO, "test-results/e2e");

export interface ConnectedProxyOptions {
  /** A name for logs and messages. */
  name: string;
  portalUrl: string;
  token: string;
  /** PEM file or base64 SPKI of the portal's signing key (--portal-key). */
  portalKey: string;
  upstream: string;
  stateDir: string;
  instanceId: string;
  heartbeatSeconds?: number;
}

export interface ProxyProcess {
  readonly name: string;
  readonly instanceId: string;
  /** http://127.0.0.1:<port> of the proxy's listener. */
  readonly url: string;
  readonly adminUrl: string;
  readonly pid: number;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  readonly exited: Promise<number | string>;
  /** The proxy's event lines so far (JSON objects from stderr). */
  events(): Array<{ event: string; [field: string]: unknown }>;
  /** The last few kilobytes of stderr, for failure messages. */
  tail(): string;
  /** SIGTERM (a graceful stop), SIGKILL after 10 s. */
  stop(): Promise<void>;
  /** SIGKILL: the process dies as in a crash. */
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();
const logsOpened = new Set<string>();
let exitHookInstalled = false;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

/** Spawns a proxy process and returns once it runs (it may not be ready yet: see waitUntilReady). */
export async function spawnConnectedProxy(options: ConnectedProxyOptions): Promise<ProxyProcess> {
  const [port, adminPort] = await Promise.all([freePort(), freePort()]);
  const args = [
    "--import",
    "tsx",
    path.join(REPO, "proxy/cli.ts"),
    "--portal",
    options.portalUrl,
    "--token",
    options.token,
    "--portal-key",
    options.portalKey,
    "--upstream",
    options.upstream,
    "--listen",
    `127.0.0.1:${port}`,
    "--admin-listen",
    `127.0.0.1:${adminPort}`,
    "--state-dir",
    options.stateDir,
    "--instance-id",
    options.instanceId,
    "--heartbeat-interval",
    String(options.heartbeatSeconds ?? 5),
    "--workers",
    "1",
    "--decision-log",
    "/dev/null",
  ];
  mkdirSync(LOG_DIR, { recursive: true });
  // One log per name and test run: a restarted proxy appends to it, the next run starts afresh.
  const logFile = path.join(LOG_DIR, `proxy-${options.name}.log`);
  const log = createWriteStream(logFile, { flags: logsOpened.has(logFile) ? "a" : "w" });
  logsOpened.add(logFile);
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ["ignore", "ignore", "pipe"] });
  if (child.pid === undefined) throw new Error(`proxy ${options.name} did not start`);
  running.add(child);
  installExitHook();

  const events: Array<{ event: string; [field: string]: unknown }> = [];
  let tail = "";
  let pending = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    log.write(text);
    tail = (tail + text).slice(-4000);
    pending += text;
    let newline: number;
    while ((newline = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      try {
        const parsed = JSON.parse(line) as { type?: string; event?: string };
        if (parsed.type === "event" && typeof parsed.event === "string") events.push(parsed as { event: string });
      } catch {
        // not an event line (a stack trace, a usage message): kept in the tail only
      }
    }
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => {
      running.delete(child);
      log.end();
      resolve(code ?? signal ?? "unknown");
    }),
  );
  const signalAndWait = async (signal: NodeJS.Signals, graceMs: number) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return {
    name: options.name,
    instanceId: options.instanceId,
    url: `http://127.0.0.1:${port}`,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    pid: child.pid,
    exited,
    events: () => events,
    tail: () => tail,
    stop: () => signalAndWait("SIGTERM", 10_000),
    kill: () => signalAndWait("SIGKILL", 0),
  };
}

/** Waits for the proxy's admin /readyz (a verified policy in force, the upstream answering); fails fast if the process exits. */
export async function waitUntilReady(proxy: ProxyProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: number | string | null = null;
  void proxy.exited.then((code) => (exit = code));
  let last = "";
  while (Date.now() < deadline) {
    if (exit !== null) throw new Error(`proxy ${proxy.name} exited (${exit}) before it was ready:\n${proxy.tail()}`);
    try {
      const answer = await httpGet(`${proxy.adminUrl}/readyz`);
      if (answer.status === 200) return;
      last = answer.body.trim();
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`proxy ${proxy.name} was not ready within ${timeoutMs} ms (${last}):\n${proxy.tail()}`);
}

export async function startConnectedProxy(options: ConnectedProxyOptions): Promise<ProxyProcess> {
  const proxy = await spawnConnectedProxy(options);
  try {
    await waitUntilReady(proxy);
  } catch (error) {
    await proxy.kill();
    throw error;
  }
  return proxy;
}

/** Stops every proxy process started here that still runs (SIGTERM, then SIGKILL). */
export async function stopAllProxies(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
}

/** A plain GET on a fresh connection: no keep-alive, so a swapped policy is seen on the next request. */
export function httpGet(url: string, timeoutMs = 5_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (c: Buffer) => chunks.push(c));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`GET ${url}: no answer within ${timeoutMs} ms`)));
    request.on("error", reject);
  });
}

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test runner that dies (or is killed) must not leave proxies behind.
  process.once("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
}
