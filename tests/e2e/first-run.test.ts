// The first-run story as a newcomer lives it: `npm start` on an empty database (migrate,
// demo organisation and policies, the portal), then `npm run demo` beside it (the demo
// payments API over verified TLS, a proxy connected to the portal), which shows an
// ordinary request answered and an attack blocked; the Delivery page then shows the demo
// proxy in sync with the blocked request counted. Its own portal and database: the other
// browser tests share a portal seeded without policies.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createIsolatedDatabase, type IsolatedDatabase } from "../helpers/test-database";
import { launchBrowser } from "./support/browser";
import { freePort } from "./support/proxy-processes";

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const REPO = path.resolve(import.meta.dirname, "../..");

type Process = { child: ChildProcess; output: () => string; waitFor: (pattern: RegExp) => Promise<string> };

/** A command of the repository run as a person would, its output kept for waiting on and for failure messages. */
function run(script: string, env: Record<string, string>): Process {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const take = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(output);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match[0]);
      }
    }
  };
  child.stdout!.on("data", take);
  child.stderr!.on("data", take);
  return {
    child,
    output: () => output,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const match = pattern.exec(output);
        if (match) return resolve(match[0]);
        waiters.push({ pattern, resolve });
        child.once("exit", (code) => reject(new Error(`${script} exited (${code}) before printing ${pattern}:\n${output.slice(-4000)}`)));
      }),
  };
}

async function stop(process: Process | undefined) {
  const child = process?.child;
  if (!child || child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  globalThis.process.kill(-child.pid, "SIGTERM");
  const timer = setTimeout(() => child.pid !== undefined && globalThis.process.kill(-child.pid, "SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

let browser: Browser;
let database: IsolatedDatabase;
let dataDir: string;
let portal: Process | undefined;
let demo: Process | undefined;
let portalUrl = "";

beforeAll(async () => {
  browser = await launchBrowser();
  database = await createIsolatedDatabase({ migrated: false });
  dataDir = mkdtempSync(path.join(os.tmpdir(), "rampart-first-run-"));
});
afterAll(async () => {
  await stop(demo);
  await stop(portal);
  await browser?.close();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("a newcomer's first run", () => {
  it("npm start migrates an empty database, creates the demo organisation and serves the portal", async () => {
    const port = await freePort();
    portalUrl = `http://127.0.0.1:${port}`;
    // The e2e setup has built the portal already; a first start would build it here.
    portal = run("lib/cli/start.ts", {
      DATABASE_URL: database.url,
      PORT: String(port),
      HOST: "127.0.0.1",
      RAMPART_DATA_DIR: dataDir,
      RAMPART_SKIP_BUILD: "1",
      RAMPART_SIGNING_KEY: "",
      RAMPART_ENCRYPTION_KEY: "",
    });
    await portal.waitFor(/rampart: Ctrl-C to stop/);
    expect(portal.output()).toContain("first start: created the demo organisation and its policies");
    expect(portal.output()).toContain("npm run demo");
    expect(portal.output()).toContain(`${portalUrl}/architecture/questionnaire`);
  });

  it("npm run demo connects a proxy to it and shows an ordinary request answered and an attack blocked", async () => {
    const listen = `127.0.0.1:${await freePort()}`;
    demo = run("lib/cli/demo.ts", { PORTAL_URL: portalUrl, DEMO_LISTEN: listen, RAMPART_DATA_DIR: dataDir });
    await demo.waitFor(/demo: ready in [\d.]+ s: the allowed request reached the demo application, the blocked one never did\./);
    const output = demo.output();
    expect(output, "the demo says the upstream's certificate is checked").toContain("the proxy verifies it");
    expect(output).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/health\n {2}→ 200 /);
    expect(output).toMatch(/User-Agent: sqlmap[^\n]*\n {2}→ 403 /);
    expect(output).toContain("blocked by rule scanner.user-agent");

    // The proxy keeps serving: an attack sent by hand is refused too, an ordinary request passes.
    expect((await fetch(`http://${listen}/health`)).status).toBe(200);
    expect((await fetch(`http://${listen}/payments/internal`)).status).toBe(403);
  });

  it("the Delivery page shows the demo proxy in sync, with the blocked requests counted", async () => {
    const context = await browser.newContext({ baseURL: portalUrl, viewport: { width: 1280, height: 800 } });
    try {
      expect(
        (await context.request.post("/api/v1/auth/login", { data: { email: "security@rampart.local", password: "rampart-demo-password" } })).status(),
      ).toBe(200);
      const page = await context.newPage();
      await page.goto("/delivery");
      const card = page.locator('article[data-target="demo-payments-api"]');
      await card.getByText("In sync").first().waitFor();
      const instances = card.getByRole("region", { name: "Proxy instances of demo-payments-api" });
      const row = instances.getByRole("row").filter({ has: page.getByRole("rowheader", { name: /demo-proxy/ }) });
      // Heartbeats carry the counters (every 5 s in the demo): at least the two blocked requests.
      await expect.poll(async () => Number(/(\d+) \/ (\d+)/.exec((await row.textContent()) ?? "")?.[2] ?? 0), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    } finally {
      await context.close();
    }
  });
});
