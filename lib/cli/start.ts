// `npm start`: one command from a fresh checkout to a running portal. Without
// DATABASE_URL it runs an embedded PostgreSQL under RAMPART_DATA_DIR; then it migrates,
// creates the demo organisation on first start, builds the portal if the build is
// missing or stale, and runs lib/cli/serve.ts. Ctrl-C stops the portal first and the
// database after it.
//
//   PORT=3000  HOST=127.0.0.1  DATABASE_URL=(embedded)  RAMPART_DATA_DIR=.data
//   RAMPART_SKIP_BUILD=1 (use .next as it is)  RAMPART_SEED_DEMO=0 (no demo organisation)
//   RAMPART_SIGNING_KEY / RAMPART_ENCRYPTION_KEY (generated once into RAMPART_DATA_DIR when unset)
//   RAMPART_WORKERS=auto (one portal worker per CPU; or `npm start -- --workers N`)
import { fork, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { z } from "zod";
import { describeConnectionError, redactDatabaseUrl } from "@/lib/db/describe-connection-error";
import { choosePort, clearStalePostmaster, othersCanEnter, startEmbeddedPostgres, type RunningPostgres } from "@/lib/db/embedded-postgres";
import { MigrationError, migrateDatabase } from "@/lib/db/migrate";
import { buildFreshness } from "./build-freshness";
import { buildEstimate, buildProgress } from "./build-progress";
import { ensureDeliveryKeys } from "./delivery-keys";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const EMBEDDED_PORT = 54329;

const unset = (value: unknown) => (value === "" ? undefined : value);
const flag = z.enum(["1", "0", "true", "false"]).transform((v) => v === "1" || v === "true");

const startEnvSchema = z.object({
  PORT: z.preprocess(unset, z.coerce.number().int().min(1).max(65535).default(3000)),
  // Loopback by default: the demo accounts share a published password. HOST=0.0.0.0 to serve a network.
  HOST: z.preprocess(unset, z.string().default("127.0.0.1")),
  DATABASE_URL: z.preprocess(
    unset,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
      .optional(),
  ),
  RAMPART_DATA_DIR: z.preprocess(unset, z.string().default(".data")),
  RAMPART_SKIP_BUILD: z.preprocess(unset, flag.default(false)),
  RAMPART_SEED_DEMO: z.preprocess(unset, flag.default(true)),
});

const say = (line: string) => process.stdout.write(`rampart: ${line}\n`);

function fail(message: string): never {
  process.stderr.write(`rampart: ${message}\n`);
  process.exit(1);
}

const parsed = startEnvSchema.safeParse(process.env);
if (!parsed.success) {
  fail(`invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
}
const env = parsed.data;

let databaseStarting: Promise<RunningPostgres> | undefined;
let child: ChildProcess | undefined;
let stopping: Promise<void> | undefined;

// Children exit by themselves on a terminal Ctrl-C (same process group) except the
// embedded database, which runs in its own group so it outlives the portal's last request.
function shutdown(exitCode: number): Promise<void> {
  stopping ??= (async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child?.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    // A signal during start-up waits for the database to be up, so it can be stopped cleanly.
    const database = await databaseStarting?.catch(() => undefined);
    if (database) {
      say("stopping the embedded database");
      await database.stop();
    }
    process.exit(exitCode);
  })();
  return stopping;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (!stopping) say(`${signal}: stopping`);
    void shutdown(0);
  });
}

// npm passes a SIGTERM to `sh`, which dies without passing it on. Whoever started us
// being gone means nobody is left to stop us: stop, rather than run on unowned.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid === parentPid || stopping) return;
  say("the parent process exited: stopping");
  void shutdown(0);
}, 1_000).unref();

const timings: [string, number][] = [];
async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  timings.push([label, performance.now() - started]);
  return result;
}

async function main() {
  const startedAt = performance.now();
  if ((await choosePort(env.PORT, env.HOST)) !== env.PORT) {
    fail(`port ${env.PORT} on ${env.HOST} is in use: stop what listens there or set PORT`);
  }

  const databaseUrl = await timed("database", () => (env.DATABASE_URL ? checkReachable(env.DATABASE_URL) : startDatabase()));
  if (stopping) return;
  // For lib/db/client.ts (read on import) and every child process.
  process.env.DATABASE_URL = databaseUrl;

  await timed("migrations", async () => {
    const result = await migrateDatabase({ databaseUrl, log: (line) => say(`migrate: ${line}`) });
    if (result.applied.length > 0) say(`applied ${result.applied.length} migration(s) (${result.engine} runner)`);
  });
  if (stopping) return;

  const showDemoAccounts = await timed("seed", () => seed(databaseUrl));
  if (stopping) return;

  // For the portal process (inherits process.env): signing and encryption keys of lib/delivery.
  ensureDeliveryKeys(env.RAMPART_DATA_DIR, say);

  if (env.RAMPART_SKIP_BUILD) {
    if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("RAMPART_SKIP_BUILD=1, but .next holds no build: start once without it");
    say("RAMPART_SKIP_BUILD=1: using the existing build");
  } else await timed("build", () => buildIfStale(databaseUrl));
  if (stopping) return;

  await timed("portal", () => serve(databaseUrl));
  if (stopping) return;

  const host = env.HOST === "0.0.0.0" || env.HOST === "::" ? "localhost" : env.HOST;
  const took = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  say(`ready in ${took(performance.now() - startedAt)} (${timings.map(([label, ms]) => `${label} ${took(ms)}`).join(", ")})`);
  say(`portal: http://${host}:${env.PORT}`);
  if (showDemoAccounts) {
    const { formatDemoAccounts } = await import("@/prisma/seed");
    process.stdout.write(`\nDemo accounts:\n${formatDemoAccounts()}\n\n`);
  }
  say(`try it: \`npm run demo\` in another terminal runs a demo application behind a proxy connected to this portal and sends it an attack`);
  say(`which architecture fits an application? http://${host}:${env.PORT}/architecture/questionnaire (no sign-in needed)`);
  say("Ctrl-C to stop");
}

async function checkReachable(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    fail(`cannot reach DATABASE_URL ${redactDatabaseUrl(databaseUrl)}: ${describeConnectionError(error)}`);
  } finally {
    await client.end().catch(() => {});
  }
  say(`database: ${redactDatabaseUrl(databaseUrl)}`);
  return databaseUrl;
}

/**
 * Where the embedded cluster lives: `$RAMPART_DATA_DIR/postgres`. As root, PostgreSQL runs
 * as the `postgres` user, which must enter every directory above its data; in a checkout
 * only root may enter (under /root, say) a new cluster goes to /var/lib/rampart/<checkout
 * id>/postgres instead, so `npm start` works there too. An existing cluster stays put.
 */
function clusterDirectory(): string {
  const inDataDir = path.resolve(env.RAMPART_DATA_DIR, "postgres");
  if (process.getuid?.() !== 0 || existsSync(path.join(inDataDir, "PG_VERSION"))) return inDataDir;
  mkdirSync(path.dirname(inDataDir), { recursive: true });
  if (othersCanEnter(path.dirname(inDataDir))) return inDataDir;
  const checkout = createHash("sha256").update(path.resolve(env.RAMPART_DATA_DIR)).digest("hex").slice(0, 12);
  return path.join("/var/lib/rampart", checkout, "postgres");
}

async function startDatabase(): Promise<string> {
  const dataDir = clusterDirectory();
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const logFile = path.join(path.dirname(dataDir), "postgres.log");
  const serverLog = createWriteStream(logFile, { flags: "a" });
  const log = (line: string) => serverLog.write(`${line}\n`);
  // A server orphaned by a killed run would hold the usual port; stop it before choosing one.
  clearStalePostmaster(dataDir, (line) => say(line));
  const port = await choosePort(EMBEDDED_PORT);
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) say(`first start: creating the database cluster in ${dataDir}`);
  databaseStarting = startEmbeddedPostgres({ dataDir, port, log });
  const database = await databaseStarting;
  say(`database: embedded PostgreSQL on 127.0.0.1:${port} (data ${dataDir}, log ${logFile})`);
  return database.databaseUrl;
}

/** Creates the demo organisation on first start; true when demo accounts exist to show. */
async function seed(databaseUrl: string): Promise<boolean> {
  const [{ createDbClient }, { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoOrganisation }] = await Promise.all([import("@/lib/db/client"), import("@/prisma/seed")]);
  const db = createDbClient(databaseUrl);
  try {
    if (env.RAMPART_SEED_DEMO) {
      const { seeded } = await seedDemoOrganisation(db);
      if (seeded) {
        const { seedDemoPolicies } = await import("@/lib/policies/seed-demo-policies");
        await seedDemoPolicies(db);
        say(`first start: created the demo organisation and its policies (password ${DEMO_PASSWORD}; RAMPART_SEED_DEMO=0 skips it)`);
      }
    }
    return (await db.user.count({ where: { email: { in: DEMO_ACCOUNTS.map((a) => a.email) } } })) > 0;
  } finally {
    await db.$disconnect();
  }
}

async function buildIfStale(databaseUrl: string) {
  const { builtAt, fresh } = buildFreshness(ROOT);
  if (fresh) {
    say("build: up to date");
    return;
  }
  const estimate = buildEstimate(buildTimeFile());
  say(`${builtAt ? "build: sources changed since the last build, running next build" : "build: no build yet, running next build"} (${estimate.text})`);
  const next = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
  const buildStarted = performance.now();
  child = spawn(process.execPath, [next, "build"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: "1" },
  });
  // Next's own lines, prefixed, and every 15 s how long it has run and how long is left:
  // the longest silence of a first start is here.
  child.stdout!.on("data", (chunk: Buffer) => process.stdout.write(prefixLines(chunk, "build | ")));
  child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(prefixLines(chunk, "build | ")));
  const ticker = setInterval(() => say(`build: ${buildProgress(performance.now() - buildStarted, estimate.seconds)}`), 15_000);
  const code = await new Promise<number | null>((resolve) => child!.once("exit", (c) => resolve(c)));
  clearInterval(ticker);
  child = undefined;
  if (stopping) return;
  if (code !== 0) throw new Error(`next build failed (exit ${code}); fix the errors above, or RAMPART_SKIP_BUILD=1 to use the previous build`);
  const took = (performance.now() - buildStarted) / 1000;
  writeFileSync(buildTimeFile(), `${Math.round(took)}\n`);
  say(`build: done in ${Math.round(took)} s`);
}

function buildTimeFile() {
  return path.resolve(env.RAMPART_DATA_DIR, "last-build-seconds");
}

function prefixLines(chunk: Buffer, prefix: string): string {
  return chunk
    .toString("utf8")
    .split(/(?<=\n)/)
    .map((line) => (line.trim() === "" ? line : prefix + line))
    .join("");
}

/** Runs lib/cli/serve.ts and resolves once it listens. */
async function serve(databaseUrl: string) {
  // `npm start -- --workers N` reaches serve.ts as it is (RAMPART_WORKERS through the environment).
  const workersFlag = process.argv.indexOf("--workers");
  const serveArgs = workersFlag === -1 ? [] : ["--workers", process.argv[workersFlag + 1] ?? ""];
  const server = fork(path.join(ROOT, "lib", "cli", "serve.ts"), serveArgs, {
    cwd: ROOT,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      PORT: String(env.PORT),
      HOST: env.HOST,
    },
  });
  child = server;
  await new Promise<void>((resolve, reject) => {
    server.on("message", (message: { ready?: boolean }) => message?.ready && resolve());
    server.once("exit", (code, signal) => reject(new Error(`the portal exited during start-up (${signal ?? `exit ${code}`})`)));
  });
  // From now on the portal ending by itself (a crash) ends `npm start`, database included.
  server.once("exit", (code, signal) => {
    if (stopping) return;
    process.stderr.write(`rampart: the portal stopped (${signal ?? `exit ${code}`})\n`);
    void shutdown(1);
  });
}

main().catch(async (error: unknown) => {
  if (stopping) return;
  const message = error instanceof MigrationError ? `migration failed: ${error.message}` : error instanceof Error ? error.message : String(error);
  process.stderr.write(`rampart: ${message}\n`);
  await shutdown(1);
});
