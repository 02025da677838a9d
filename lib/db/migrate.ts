// Applies prisma/migrations to a database. With Prisma's schema engine present this is
// `prisma migrate deploy`; where the engine cannot be installed (offline machines) a
// built-in runner applies the same migrations with the same `_prisma_migrations`
// bookkeeping and the same advisory lock, so either can take over from the other.
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export type MigrateOptions = {
  databaseUrl: string;
  /** Defaults to prisma/migrations of this repository. */
  migrationsDir?: string;
  log?: (message: string) => void;
  /** "auto" (default) uses Prisma's schema engine when it is present. */
  engine?: "auto" | "builtin";
  /** How long to wait for another process's migration to finish. Default 10 minutes. */
  lockTimeoutMs?: number;
};

export type MigrateResult = { applied: string[]; engine: "prisma" | "builtin" };

export type LocalMigration = { name: string; sql: string; checksum: string };

/** A migration problem that needs a person: the message says what happened and what to do. */
export class MigrationError extends Error {
  override name = "MigrationError";
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const DEFAULT_MIGRATIONS_DIR = path.join(ROOT, "prisma", "migrations");

// The key Prisma's schema engine locks (SELECT pg_advisory_lock(72707369)): sharing it
// means a built-in run and a `prisma migrate deploy` never interleave either.
export const PRISMA_ADVISORY_LOCK_KEY = 72707369;

// Prisma's own DDL for its bookkeeping table, column for column.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export async function migrateDatabase(options: MigrateOptions): Promise<MigrateResult> {
  const migrationsDir = path.resolve(options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  const log = options.log ?? (() => {});
  // `prisma migrate deploy` reads the folder from prisma.config.ts, so another folder
  // (tests use scratch ones) can only be applied by the built-in runner.
  const canUsePrisma = options.engine !== "builtin" && migrationsDir === DEFAULT_MIGRATIONS_DIR;
  if (canUsePrisma && hasSchemaEngine()) {
    return { applied: await deployWithPrisma(options.databaseUrl, log), engine: "prisma" };
  }
  const applied = await applyMigrations({
    databaseUrl: options.databaseUrl,
    migrations: readMigrations(migrationsDir),
    log,
    lockTimeoutMs: options.lockTimeoutMs ?? 10 * 60_000,
  });
  return { applied, engine: "builtin" };
}

/** The migrations of a folder in Prisma's layout (`<name>/migration.sql`), in name order. */
export function readMigrations(migrationsDir: string): LocalMigration[] {
  if (!existsSync(migrationsDir)) throw new MigrationError(`migrations folder ${migrationsDir} does not exist`);
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(migrationsDir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: sha256(sql) };
    });
}

/** Prisma's migration checksum: SHA-256 of migration.sql, hex. */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

// Prisma accepts a script whose only change is its line endings (a checkout on Windows).
function checksumMatches(migration: LocalMigration, stored: string): boolean {
  if (migration.checksum === stored) return true;
  const lf = migration.sql.replace(/\r\n/g, "\n");
  return sha256(lf) === stored || sha256(lf.replace(/\n/g, "\r\n")) === stored;
}

export function hasSchemaEngine(): boolean {
  const configured = process.env.PRISMA_SCHEMA_ENGINE_BINARY;
  if (configured) {
    // prisma/generate.mjs points this at node itself so `prisma generate` runs offline;
    // only a binary that introduces itself as the schema engine counts.
    const probe = spawnSync(configured, ["--version"], { encoding: "utf8", timeout: 10_000 });
    return probe.status === 0 && /schema-engine/i.test(`${probe.stdout}${probe.stderr}`);
  }
  try {
    const require = createRequire(import.meta.url);
    const enginesDir = path.dirname(require.resolve("@prisma/engines/package.json"));
    return readdirSync(enginesDir).some((file) => file.startsWith("schema-engine"));
  } catch {
    return false;
  }
}

async function deployWithPrisma(databaseUrl: string, log: (message: string) => void): Promise<string[]> {
  const before = await finishedMigrationNames(databaseUrl);
  const cli = path.join(ROOT, "node_modules", "prisma", "build", "index.js");
  log("applying migrations with prisma migrate deploy");
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "migrate", "deploy"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve(text) : reject(new MigrationError(`prisma migrate deploy failed (exit ${code}):\n${text.trim()}`))));
  });
  for (const line of output.trim().split("\n")) if (line.trim()) log(line);
  const after = await finishedMigrationNames(databaseUrl);
  return after.filter((name) => !before.includes(name));
}

async function finishedMigrationNames(databaseUrl: string): Promise<string[]> {
  const client = await connect(databaseUrl);
  try {
    const exists = await client.query<{ table: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS "table"`);
    if (!exists.rows[0]?.table) return [];
    const rows = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY started_at`,
    );
    return rows.rows.map((row) => row.migration_name);
  } finally {
    await client.end();
  }
}

type AppliedRow = {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  logs: string | null;
};

async function applyMigrations(args: {
  databaseUrl: string;
  migrations: LocalMigration[];
  log: (message: string) => void;
  lockTimeoutMs: number;
}): Promise<string[]> {
  const { migrations, log } = args;
  const client = await connect(args.databaseUrl);
  try {
    await acquireLock(client, args.lockTimeoutMs);
    try {
      await ensureMigrationsTable(client);
      const rows = (
        await client.query<AppliedRow>(
          `SELECT id, checksum, migration_name, finished_at, rolled_back_at, started_at, logs
             FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
        )
      ).rows;
      refuseFailedMigrations(rows);
      const applied = new Map(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => [r.migration_name, r]));
      refuseChangedMigrations(migrations, applied);
      const local = new Set(migrations.map((m) => m.name));
      for (const name of applied.keys()) {
        if (!local.has(name)) log(`warning: migration ${name} is applied to the database but missing from the migrations folder`);
      }

      const pending = migrations.filter((m) => !applied.has(m.name));
      if (pending.length === 0) log("no pending migrations");
      for (const migration of pending) await applyOne(client, migration, log);
      return pending.map((m) => m.name);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

async function connect(databaseUrl: string): Promise<pg.Client> {
  const url = new URL(databaseUrl);
  // Prisma selects the schema with ?schema=; libpq does not know the parameter.
  const schema = url.searchParams.get("schema");
  url.searchParams.delete("schema");
  const client = new pg.Client({
    connectionString: url.toString(),
    connectionTimeoutMillis: 10_000,
    application_name: "rampart-migrate",
  });
  // A dropped connection must reject the pending query, not crash the process.
  client.on("error", () => {});
  await client.connect();
  if (schema) {
    const ident = client.escapeIdentifier(schema);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident}`);
    await client.query(`SET search_path TO ${ident}`);
  }
  return client;
}

async function acquireLock(client: pg.Client, timeoutMs: number) {
  await client.query(`SET lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK_KEY]);
  } catch (error) {
    if ((error as { code?: string }).code === "55P03") {
      throw new MigrationError(
        `timed out after ${Math.round(timeoutMs / 1000)} s waiting for another migration to finish ` +
          `(advisory lock ${PRISMA_ADVISORY_LOCK_KEY} is held by another session)`,
      );
    }
    throw error;
  }
  await client.query("SET lock_timeout = 0");
}

async function ensureMigrationsTable(client: pg.Client) {
  const exists = await client.query<{ table: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS "table"`);
  if (exists.rows[0]?.table) return;
  // Like Prisma (P3005): migrations must not be laid over a schema they did not create.
  const tables = await client.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name LIMIT 5`,
  );
  if (tables.rows.length > 0) {
    throw new MigrationError(
      `the database schema is not empty (${tables.rows.map((r) => r.table_name).join(", ")}, …) but has no ` +
        `_prisma_migrations table: refusing to migrate a database these migrations did not create ` +
        `(baseline it first: https://pris.ly/d/migrate-baseline)`,
    );
  }
  await client.query(CREATE_MIGRATIONS_TABLE);
}

function refuseFailedMigrations(rows: AppliedRow[]) {
  const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
  if (!failed) return;
  throw new MigrationError(
    `migration ${failed.migration_name} failed on ${failed.started_at.toISOString()} and blocks further migrations ` +
      `(Prisma P3009). Repair the database, then mark it rolled back: ` +
      `UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE id = '${failed.id}' ` +
      `(or \`prisma migrate resolve --rolled-back ${failed.migration_name}\`) and migrate again.` +
      (failed.logs ? `\nIts error was:\n${failed.logs}` : ""),
  );
}

function refuseChangedMigrations(migrations: LocalMigration[], applied: Map<string, AppliedRow>) {
  for (const migration of migrations) {
    const row = applied.get(migration.name);
    if (row && !checksumMatches(migration, row.checksum)) {
      throw new MigrationError(
        `migration ${migration.name} was changed after it was applied: its checksum in the database is ` +
          `${row.checksum}, on disk ${migration.checksum}. Applied migrations must not be edited; ` +
          `restore the original migration.sql and put the change in a new migration.`,
      );
    }
  }
}

async function applyOne(client: pg.Client, migration: LocalMigration, log: (message: string) => void) {
  const started = performance.now();
  log(`applying migration ${migration.name}`);
  const id = randomUUID();
  // Recorded before the script runs and outside its transaction, so a failure stays on record.
  await client.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
     VALUES ($1, $2, $3, now(), 0)`,
    [id, migration.checksum, migration.name],
  );
  try {
    await client.query("BEGIN");
    await client.query(migration.sql);
    await client.query(`UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`, [id]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    const logs = describeDatabaseError(error);
    await client.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, logs]).catch(() => {});
    throw new MigrationError(
      `migration ${migration.name} failed and was rolled back; it is recorded as failed in _prisma_migrations ` +
        `and blocks further migrations until resolved.\n${logs}`,
    );
  }
  log(`applied migration ${migration.name} in ${Math.round(performance.now() - started)} ms`);
}

// The shape of the logs Prisma's engine writes for a failed migration.
function describeDatabaseError(error: unknown): string {
  const e = error as { code?: string; message?: string; detail?: string; hint?: string; position?: string };
  const lines = [`Database error code: ${e.code ?? "unknown"}`, "", "Database error:", `ERROR: ${e.message ?? String(error)}`];
  if (e.detail) lines.push(`DETAIL: ${e.detail}`);
  if (e.hint) lines.push(`HINT: ${e.hint}`);
  if (e.position) lines.push(`Position: ${e.position}`);
  return lines.join("\n");
}
