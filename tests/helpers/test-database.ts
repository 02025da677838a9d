// Databases for tests. One template database is migrated per test run (global setup);
// every integration test file gets its own copy (CREATE DATABASE … TEMPLATE, ~100 ms),
// and e2e code can ask for one with createIsolatedDatabase(). Names carry their creation
// time, so databases left behind by a crashed run are dropped by a later run.
//
//   DATABASE_URL   server to use (default postgresql://postgres@127.0.0.1:5432/test);
//                  only rampart_tpl_* / rampart_test_* databases are created or dropped on it.
//                  When it is unreachable, an embedded PostgreSQL is started for the run.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describeConnectionError, redactDatabaseUrl } from "@/lib/db/describe-connection-error";

export const DEFAULT_TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test";

/** What the global setup hands to test files (provide/inject) and to later global setups (env). */
export type TestDatabaseContext = { serverUrl: string; template: string; runId: string };

declare module "vitest" {
  export interface ProvidedContext {
    rampartTestDatabase: TestDatabaseContext;
  }
}

const ENV_SERVER_URL = "RAMPART_TEST_SERVER_URL";
const ENV_TEMPLATE = "RAMPART_TEST_TEMPLATE";
const ENV_RUN_ID = "RAMPART_TEST_RUN_ID";
const STALE_AFTER_MS = 3 * 60 * 60 * 1000;
// rampart_tpl_<run> and rampart_test_<run>_<n>, where <run> is <base-36 ms timestamp>_<hex>.
const NAME_PATTERN = /^rampart_(tpl|test)_([0-9a-z]+)_[0-9a-f]+(_[0-9a-f]+)?$/;

export type IsolatedDatabase = { url: string; name: string; drop(): Promise<void> };

/**
 * A new database of its own, cloned from the run's migrated template (or empty, with
 * `{ migrated: false }`, for tests of migrating itself); drop() removes it.
 */
export async function createIsolatedDatabase(options: { migrated?: boolean } = {}): Promise<IsolatedDatabase> {
  const { serverUrl, template, runId } = await testDatabaseContext();
  const name = `rampart_test_${runId}_${randomBytes(4).toString("hex")}`;
  await withClient(serverUrl, async (client) => {
    const source = options.migrated === false ? "template0" : template;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(source)}`);
  });
  return { url: databaseUrl(serverUrl, name), name, drop: () => dropDatabase(serverUrl, name) };
}

/** For the global setup: the server to use, started here if need be, and the migrated template. */
export async function prepareTestDatabases(log: (line: string) => void = () => {}): Promise<{
  context: TestDatabaseContext;
  teardown(): Promise<void>;
}> {
  // Several projects of one run (integration, e2e) share one template and one server.
  const shared = globalThis as { rampartTestDatabases?: { ready: ReturnType<typeof prepareOnce>; users: number } };
  shared.rampartTestDatabases ??= { ready: prepareOnce(log), users: 0 };
  const state = shared.rampartTestDatabases;
  state.users += 1;
  const prepared = await state.ready.catch((error: unknown) => {
    delete shared.rampartTestDatabases;
    throw error;
  });
  let tornDown = false;
  return {
    context: prepared.context,
    async teardown() {
      if (tornDown) return;
      tornDown = true;
      state.users -= 1;
      if (state.users > 0) return;
      delete shared.rampartTestDatabases;
      delete process.env[ENV_SERVER_URL];
      delete process.env[ENV_TEMPLATE];
      delete process.env[ENV_RUN_ID];
      await prepared.teardown();
    },
  };
}

async function prepareOnce(log: (line: string) => void) {
  const { serverUrl, stopServer } = await reachableServer(process.env.DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL, log);
  try {
    await dropLeftovers(serverUrl, log);
    const runId = `${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
    const template = `rampart_tpl_${runId}`;
    await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(template)}`));
    const { migrateDatabase } = await import("@/lib/db/migrate");
    const started = performance.now();
    const result = await migrateDatabase({ databaseUrl: databaseUrl(serverUrl, template) });
    log(`template ${template}: ${result.applied.length} migrations (${result.engine}) in ${Math.round(performance.now() - started)} ms`);
    process.env[ENV_SERVER_URL] = serverUrl;
    process.env[ENV_TEMPLATE] = template;
    process.env[ENV_RUN_ID] = runId;
    return {
      context: { serverUrl, template, runId },
      async teardown() {
        try {
          // A file that fails before its hooks run (an error while collecting) leaves its database.
          for (const name of await databaseNames(serverUrl, `rampart_test_${runId}_`)) await dropDatabase(serverUrl, name);
          await dropDatabase(serverUrl, template);
        } finally {
          await stopServer?.();
        }
      },
    };
  } catch (error) {
    await stopServer?.();
    throw error;
  }
}

async function testDatabaseContext(): Promise<TestDatabaseContext> {
  // Global setups run in vitest's main process and see the environment; test files run
  // in workers and get the context through inject().
  const serverUrl = process.env[ENV_SERVER_URL];
  const template = process.env[ENV_TEMPLATE];
  const runId = process.env[ENV_RUN_ID];
  if (serverUrl && template && runId) return { serverUrl, template, runId };
  const { inject } = await import("vitest");
  const context = inject("rampartTestDatabase");
  if (!context) throw new Error("no test database: add tests/helpers/test-database-global-setup.ts to the project's globalSetup");
  return context;
}

async function reachableServer(url: string, log: (line: string) => void): Promise<{ serverUrl: string; stopServer?: () => Promise<void> }> {
  try {
    await withClient(url, (client) => client.query("SELECT 1"));
    return { serverUrl: url };
  } catch (error) {
    log(`${redactDatabaseUrl(url)} is unreachable (${describeConnectionError(error)}); starting an embedded PostgreSQL for this run`);
  }
  const { choosePort, startEmbeddedPostgres } = await import("@/lib/db/embedded-postgres");
  const root = mkdtempSync(path.join(os.tmpdir(), "rampart-test-pg-"));
  // As root the server runs as `postgres`, which must be able to enter the directory.
  chmodSync(root, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: path.join(root, "data"), port: await choosePort() });
  return {
    serverUrl: server.adminUrl,
    async stopServer() {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function databaseNames(serverUrl: string, prefix: string): Promise<string[]> {
  return withClient(serverUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [prefix]);
    return rows.map((row) => row.datname);
  });
}

async function dropLeftovers(serverUrl: string, log: (line: string) => void) {
  for (const name of await databaseNames(serverUrl, "rampart_")) {
    const match = NAME_PATTERN.exec(name);
    if (!match) continue;
    const createdAt = parseInt(match[2]!, 36);
    if (Date.now() - createdAt < STALE_AFTER_MS) continue;
    log(`dropping ${name}, left behind by an earlier run`);
    await dropDatabase(serverUrl, name);
  }
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
}

/** The server URL with another database name. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on("error", () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
