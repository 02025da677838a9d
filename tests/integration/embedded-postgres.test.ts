// The embedded PostgreSQL of `npm start`: created on first use, data kept across
// restarts, no server left behind by stop(), by a killed run, or by `npm start` itself
// when it is told to stop.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { choosePort, startEmbeddedPostgres, type RunningPostgres } from "@/lib/db/embedded-postgres";

const ROOT = path.resolve(import.meta.dirname, "../..");
let root: string;
let dataDir: string;
const running: RunningPostgres[] = [];

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "rampart-embedded-"));
  // As root, the server runs as `postgres`, which must be able to enter the directory.
  chmodSync(root, 0o755);
  dataDir = path.join(root, "postgres");
});

afterAll(async () => {
  await Promise.all(running.map((server) => server.stop()));
  expect(serverProcesses(root)).toEqual([]);
  rmSync(root, { recursive: true, force: true });
});

/** PIDs of postgres servers whose data directory lies under `dir`. */
function serverProcesses(dir: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
        return args[0]?.endsWith("postgres") && args.some((arg) => arg.startsWith(dir));
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
}

async function start(): Promise<RunningPostgres> {
  const server = await startEmbeddedPostgres({ dataDir, port: await choosePort() });
  running.push(server);
  return server;
}

const UNPRIVILEGED_OWNER = {
  role: "rampart_app",
  rolsuper: false,
  rolcreaterole: false,
  rolcreatedb: false,
  rolreplication: false,
  rolbypassrls: false,
  owner: "rampart_app",
};

/** The role a URL connects as, its attributes, and who owns the database it connects to. */
async function applicationRole(url: string) {
  const [row] = await query(
    url,
    "SELECT current_user AS role, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, " +
      "(SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()) AS owner FROM pg_roles WHERE rolname = current_user",
  );
  return row;
}

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("startEmbeddedPostgres", () => {
  it("creates a cluster with a `rampart` database, keeps its data across restarts and leaves no process when stopped", async () => {
    const first = await start();
    expect(first.databaseUrl).toMatch(/^postgresql:\/\/rampart_app:[0-9a-f]+@127\.0\.0\.1:\d+\/rampart$/);
    await query(first.databaseUrl, "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')");
    expect(serverProcesses(root)).toEqual([first.pid]);
    await first.stop();
    expect(serverProcesses(root)).toEqual([]);
    // A clean shutdown removes the lock file.
    expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);

    const second = await start();
    expect(await query(second.databaseUrl, "SELECT value FROM kept")).toEqual([{ value: "still here" }]);
    await second.stop();
    expect(serverProcesses(root)).toEqual([]);
  });

  it("connects the application as a role that owns its database and is no superuser, even if someone made it one", async () => {
    const server = await start();
    expect(await applicationRole(server.databaseUrl)).toEqual(UNPRIVILEGED_OWNER);
    // Refused to the role: what a superuser could do from a query.
    await expect(query(server.databaseUrl, "COPY (SELECT 1) TO PROGRAM 'id'")).rejects.toThrow(/permission denied|must be superuser|pg_execute_server_program/);
    await expect(query(server.databaseUrl, "CREATE ROLE intruder")).rejects.toThrow(/permission denied/);
    await query(server.adminUrl, "ALTER ROLE rampart_app SUPERUSER CREATEROLE");
    await server.stop();
    const again = await start();
    expect(await applicationRole(again.databaseUrl)).toEqual(UNPRIVILEGED_OWNER);
    await again.stop();
  });

  it("upgrades a cluster an earlier version made, where the superuser owned the database and its tables", async () => {
    const server = await start();
    // The earlier shape: no application role, everything the superuser's, credentials without the role's password.
    await query(server.adminUrl, "ALTER DATABASE rampart OWNER TO postgres");
    const superuserInRampart = server.adminUrl.replace(/\/postgres$/, "/rampart");
    await query(
      superuserInRampart,
      "REASSIGN OWNED BY rampart_app TO postgres; DROP OWNED BY rampart_app; " +
        "CREATE TYPE mood AS ENUM ('calm'); CREATE TABLE earlier (id serial PRIMARY KEY, feeling mood DEFAULT 'calm', value text); " +
        "CREATE FUNCTION earlier_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.value := upper(NEW.value); RETURN NEW; END $$; " +
        "CREATE TRIGGER earlier_touch BEFORE INSERT ON earlier FOR EACH ROW EXECUTE FUNCTION earlier_touch(); " +
        "INSERT INTO earlier (value) VALUES ('kept')",
    );
    await query(server.adminUrl, "DROP ROLE rampart_app");
    await server.stop();
    const credentialsFile = path.join(dataDir, "rampart-credentials.json");
    const earlier = JSON.parse(readFileSync(credentialsFile, "utf8"));
    delete earlier.appPassword;
    writeFileSync(credentialsFile, JSON.stringify(earlier));

    const upgraded = await start();
    expect(await applicationRole(upgraded.databaseUrl)).toEqual(UNPRIVILEGED_OWNER);
    expect(await query(upgraded.databaseUrl, "INSERT INTO earlier (value) VALUES ('new') RETURNING id, feeling, value")).toEqual([
      { id: 2, feeling: "calm", value: "NEW" },
    ]);
    expect(await query(upgraded.databaseUrl, "SELECT value FROM earlier ORDER BY id")).toEqual([{ value: "KEPT" }, { value: "NEW" }]);
    // What migrations do: alter and drop what an earlier version created.
    await query(upgraded.databaseUrl, "ALTER TABLE earlier ADD COLUMN later text; ALTER TYPE mood ADD VALUE 'glad'; DROP TABLE kept");
    expect(JSON.parse(readFileSync(credentialsFile, "utf8")).appPassword).toMatch(/^[0-9a-f]{48}$/);
    await upgraded.stop();
  });

  it("starts over a postmaster.pid left by a killed run whose PID now belongs to another program", async () => {
    // After a restart the old PID is often reused; here it is this test's own parent.
    writeFileSync(path.join(dataDir, "postmaster.pid"), `${process.ppid}\n${dataDir}\n`);
    const server = await start();
    expect(await query(server.databaseUrl, "SELECT 1 AS ok")).toEqual([{ ok: 1 }]);
    await server.stop();
    expect(serverProcesses(root)).toEqual([]);
  });

  it("stops a server orphaned by a killed run before starting its own", async () => {
    const holder = path.join(root, "hold-server.mts");
    writeFileSync(
      holder,
      `import { startEmbeddedPostgres } from ${JSON.stringify(path.join(ROOT, "lib/db/embedded-postgres.ts"))};\n` +
        `const server = await startEmbeddedPostgres({ dataDir: process.argv[2]!, port: Number(process.argv[3]) });\n` +
        `process.stdout.write("ready " + server.pid + "\\n");\nsetInterval(() => {}, 1000);\n`,
    );
    const orphanPid = await new Promise<number>(async (resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", holder, dataDir, String(await choosePort())], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "inherit"],
      });
      child.stdout.on("data", (chunk: Buffer) => {
        const match = /ready (\d+)/.exec(chunk.toString());
        if (!match) return;
        child.kill("SIGKILL"); // the run is killed; its database server lives on
        resolve(Number(match[1]));
      });
      child.once("exit", (code) => code !== null && reject(new Error(`holder exited with ${code}`)));
    });
    await expect.poll(() => serverProcesses(root)).toEqual([orphanPid]);

    const server = await start();
    expect(serverProcesses(root)).toEqual([server.pid]);
    await server.stop();
    expect(serverProcesses(root)).toEqual([]);
  });
});

describe("npm start with the embedded database", () => {
  it("migrates, and on SIGTERM while seeding stops with exit 0 and no postgres process left", async () => {
    const dataRoot = path.join(root, "start-data");
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "lib/cli/start.ts")], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, DATABASE_URL: "", RAMPART_DATA_DIR: dataRoot, RAMPART_SKIP_BUILD: "1", PORT: String(await choosePort()) },
    });
    let output = "";
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const seeded = new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        // Signalled once migrations are applied, i.e. while the seed (hundreds of ms of
        // password hashing) runs: a deterministic point mid-start. Signalling after the
        // seed would race start.ts's next step, which fails without a build (SKIP_BUILD).
        if (/applied \d+ migration/.test(output)) {
          child.kill("SIGTERM");
          resolve();
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
    });
    await Promise.race([seeded, exited]);
    expect(await exited, output).toBe(0);
    expect(output).toMatch(/applied \d+ migration\(s\)/);
    expect(output).toContain("stopping the embedded database");
    expect(serverProcesses(dataRoot)).toEqual([]);
    expect(existsSync(path.join(dataRoot, "postgres", "postmaster.pid"))).toBe(false);

    // The migrations ran as the application role: it owns every table they made, and is no superuser.
    const server = await startEmbeddedPostgres({ dataDir: path.join(dataRoot, "postgres"), port: await choosePort() });
    running.push(server);
    expect(await applicationRole(server.databaseUrl)).toEqual(UNPRIVILEGED_OWNER);
    const owners = await query(
      server.databaseUrl,
      "SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relnamespace = 'public'::regnamespace",
    );
    expect(owners).toEqual([{ owner: "rampart_app" }]);
    expect((await query(server.databaseUrl, "SELECT count(*)::int AS n FROM _prisma_migrations"))[0].n).toBeGreaterThan(0);
    await server.stop();
  });
});
