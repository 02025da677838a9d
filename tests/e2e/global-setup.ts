// Global setup of the e2e project: a production build of the portal, served by
// lib/cli/serve.ts on a free loopback port, against a freshly migrated and seeded
// database of its own. Tests get the base URL with inject("e2eBaseUrl").
//
//   E2E_SKIP_BUILD=1   use the existing .next build as it is
//   E2E_BASE_URL=…     test an already running portal (no build, no database, no server)
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { buildFreshness } from "../../lib/cli/build-freshness";
import { LOOPBACK_EGRESS } from "../helpers/allow-loopback-egress";
import { E2E_GIT_LOCAL_DIR } from "./support/git-local-dir";
import { testDeliveryKeys } from "../helpers/delivery-keys";
import { startTestIdentityProvider, type TestIdentityProvider } from "../oidc-provider/start-test-identity-provider";

declare module "vitest" {
  export interface ProvidedContext {
    e2eBaseUrl: string;
    /** The OpenID provider the portal is configured with (tests/oidc-provider), as provider "testidp". */
    e2eIdpIssuer: string | null;
  }
}

const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "node_modules/.bin");
const LOG_DIR = path.join(ROOT, "test-results/e2e");

export default async function setup(project: TestProject) {
  if (process.env.E2E_BASE_URL) {
    project.provide("e2eBaseUrl", process.env.E2E_BASE_URL.replace(/\/$/, ""));
    project.provide("e2eIdpIssuer", null);
    return;
  }
  mkdirSync(LOG_DIR, { recursive: true });
  await buildIfStale();

  const { createIsolatedDatabase } = await import("../helpers/test-database");
  const database = await createIsolatedDatabase();
  let server: ChildProcess | undefined;
  let idp: TestIdentityProvider | undefined;
  try {
    await seed(database.url);
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    idp = await startTestIdentityProvider({
      clients: [
        { ...E2E_SSO_CLIENT, redirectUris: [`${baseUrl}/api/v1/auth/sso/testidp/callback`], postLogoutRedirectUris: [`${baseUrl}/sign-in/signed-out`] },
      ],
    });
    server = startServer(database.url, port, ssoEnv(idp.issuer, baseUrl));
    await waitForHealth(baseUrl, server);
    project.provide("e2eBaseUrl", baseUrl);
    project.provide("e2eIdpIssuer", idp.issuer);
  } catch (error) {
    await stopServer(server);
    await idp?.stop();
    await database.drop();
    throw error;
  }

  return async () => {
    await stopServer(server);
    await idp?.stop();
    await database.drop();
  };
}

async function buildIfStale() {
  if (process.env.E2E_SKIP_BUILD === "1") return;
  if (buildFreshness(ROOT).fresh) return;
  const logFile = path.join(LOG_DIR, "next-build.log");
  process.stdout.write(`[e2e] sources changed since the last build: running next build (log: ${logFile})\n`);
  // The build imports server modules to collect page data; the database client wants a
  // URL to exist then, though nothing connects during the build.
  const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://build@127.0.0.1:1/unused", NEXT_TELEMETRY_DISABLED: "1" };
  await run(path.join(BIN, "next"), ["build"], env, logFile);
}

async function seed(databaseUrl: string) {
  // lib/db/client.ts builds its default client from DATABASE_URL as it is imported; lend
  // it this database's URL if none is set (it connects lazily, and nothing uses it here).
  const lent = process.env.DATABASE_URL === undefined;
  if (lent) process.env.DATABASE_URL = databaseUrl;
  const [{ createDbClient }, { seedDemoOrganisation }] = await Promise.all([import("../../lib/db/client"), import("../../prisma/seed")]).finally(() => {
    if (lent) delete process.env.DATABASE_URL;
  });
  const db = createDbClient(databaseUrl);
  try {
    await seedDemoOrganisation(db);
  } finally {
    await db.$disconnect();
  }
}
const E2E_SSO_CLIENT = { clientId: "rampart-e2e", clientSecret: "rampart-e2e-client-secret" };

// The portal signs in through the test provider as "Test IdP"; its payments-leads group
// gives the project-lead role in the demo's payments team (bootstrapped from the environment).
function ssoEnv(issuer: string, baseUrl: string): Record<string, string> {
  return {
    RAMPART_PUBLIC_URL: baseUrl,
    RAMPART_OIDC_PROVIDERS: "testidp",
    RAMPART_OIDC_TESTIDP_ISSUER: issuer,
    RAMPART_OIDC_TESTIDP_CLIENT_ID: E2E_SSO_CLIENT.clientId,
    RAMPART_OIDC_TESTIDP_CLIENT_SECRET: E2E_SSO_CLIENT.clientSecret,
    RAMPART_OIDC_TESTIDP_DISPLAY_NAME: "Test IdP",
    RAMPART_OIDC_TESTIDP_SCOPES: "openid email profile groups",
    RAMPART_OIDC_TESTIDP_GROUP_MAPPINGS: JSON.stringify([{ group: "payments-leads", team: "payments", role: "project-lead" }]),
    // The test provider, API server, Git server and webhook receivers listen on 127.0.0.1,
    // which the portal calls only when the operator allows it (lib/outbound).
    RAMPART_EGRESS_ALLOW: LOOPBACK_EGRESS,
    // The Kubernetes browser test exports to a bare repository under this folder.
    RAMPART_GIT_LOCAL_DIR: E2E_GIT_LOCAL_DIR,
  };
}

function startServer(databaseUrl: string, port: number, extraEnv: Record<string, string>): ChildProcess {
  const log = createWriteStream(path.join(LOG_DIR, "server.log"));
  const child = spawn(path.join(BIN, "tsx"), ["lib/cli/serve.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      NEXT_TELEMETRY_DISABLED: "1",
      // One worker: the browser stories share two cores with everything else; the worker
      // supervision has its own test (tests/integration/server/portal-workers.test.ts).
      RAMPART_WORKERS: process.env.RAMPART_WORKERS ?? "1",
      ...testDeliveryKeys(),
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

async function waitForHealth(baseUrl: string, server: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) {
      throw new Error(`the portal exited with code ${server.exitCode} before it was healthy (see ${LOG_DIR}/server.log)`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the portal was not healthy within ${timeoutMs} ms (see ${LOG_DIR}/server.log)`);
}

async function stopServer(server: ChildProcess | undefined) {
  if (!server || server.exitCode !== null || server.pid === undefined) return;
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  // The server runs in its own process group (tsx starts a child node): signal the group.
  process.kill(-server.pid, "SIGTERM");
  const timer = setTimeout(() => {
    if (server.exitCode === null && server.pid !== undefined) process.kill(-server.pid, "SIGKILL");
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile);
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} ${args.join(" ")} failed with code ${code} (see ${logFile})`)),
    );
  });
}
