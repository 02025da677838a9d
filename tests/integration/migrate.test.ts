// The built-in migration runner keeps Prisma's bookkeeping exactly, takes Prisma's lock,
// refuses what Prisma refuses; and the init migration's guarantees beyond the Prisma
// schema (append-only audit trail, role CHECKs) hold.
import { appendFileSync, chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { ROLES } from "@/lib/auth/roles";
import { DEFAULT_MIGRATIONS_DIR, hasSchemaEngine, migrateDatabase, readMigrations, sha256 } from "@/lib/db/migrate";
import { createIsolatedDatabase, type IsolatedDatabase } from "../helpers/test-database";

const created: IsolatedDatabase[] = [];
const scratchDirs: string[] = [];
afterAll(async () => {
  await Promise.all(created.map((database) => database.drop()));
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

async function emptyDatabase(): Promise<string> {
  const database = await createIsolatedDatabase({ migrated: false });
  created.push(database);
  return database.url;
}

/** A copy of prisma/migrations to change freely. */
function copyOfMigrations(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rampart-migrations-"));
  scratchDirs.push(dir);
  cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const local = readMigrations(DEFAULT_MIGRATIONS_DIR);

describe("migrateDatabase (built-in runner)", () => {
  it("applies every migration to a fresh database and records each as Prisma does", async () => {
    const url = await emptyDatabase();
    const result = await migrateDatabase({ databaseUrl: url, engine: "builtin" });
    expect(result).toEqual({ engine: "builtin", applied: local.map((m) => m.name) });

    const rows = await query<{
      id: string;
      checksum: string;
      migration_name: string;
      logs: string | null;
      started_at: Date;
      finished_at: Date | null;
      rolled_back_at: Date | null;
      applied_steps_count: number;
    }>(url, `SELECT * FROM "_prisma_migrations" ORDER BY migration_name`);
    expect(rows).toHaveLength(local.length);
    rows.forEach((row, i) => {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.migration_name).toBe(local[i]!.name);
      expect(row.checksum).toBe(sha256(local[i]!.sql));
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    });
  });

  it("creates _prisma_migrations with Prisma's exact columns", async () => {
    const url = await emptyDatabase();
    await migrateDatabase({ databaseUrl: url, engine: "builtin" });
    const columns = await query(
      url,
      `SELECT column_name, data_type, character_maximum_length AS length, is_nullable, column_default
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: "id", data_type: "character varying", length: 36, is_nullable: "NO", column_default: null },
      { column_name: "checksum", data_type: "character varying", length: 64, is_nullable: "NO", column_default: null },
      { column_name: "finished_at", data_type: "timestamp with time zone", length: null, is_nullable: "YES", column_default: null },
      { column_name: "migration_name", data_type: "character varying", length: 255, is_nullable: "NO", column_default: null },
      { column_name: "logs", data_type: "text", length: null, is_nullable: "YES", column_default: null },
      { column_name: "rolled_back_at", data_type: "timestamp with time zone", length: null, is_nullable: "YES", column_default: null },
      { column_name: "started_at", data_type: "timestamp with time zone", length: null, is_nullable: "NO", column_default: "now()" },
      { column_name: "applied_steps_count", data_type: "integer", length: null, is_nullable: "NO", column_default: "0" },
    ]);
    const [pk] = await query<{ conname: string }>(url, `SELECT conname FROM pg_constraint WHERE conrelid = '"_prisma_migrations"'::regclass AND contype = 'p'`);
    expect(pk?.conname).toBe("_prisma_migrations_pkey");
  });

  it("applies nothing on a second run", async () => {
    const url = await emptyDatabase();
    await migrateDatabase({ databaseUrl: url, engine: "builtin" });
    const messages: string[] = [];
    expect(await migrateDatabase({ databaseUrl: url, engine: "builtin", log: (m) => messages.push(m) })).toEqual({ engine: "builtin", applied: [] });
    expect(messages).toContain("no pending migrations");
    expect(await query(url, `SELECT 1 FROM "_prisma_migrations"`)).toHaveLength(local.length);
  });

  it("applies each migration exactly once when several replicas migrate at the same moment", async () => {
    const url = await emptyDatabase();
    const results = await Promise.all([1, 2, 3].map(() => migrateDatabase({ databaseUrl: url, engine: "builtin" })));
    expect(results.flatMap((r) => r.applied).sort()).toEqual(local.map((m) => m.name));
    const rows = await query<{ migration_name: string; n: string }>(
      url,
      `SELECT migration_name, count(*) AS n FROM "_prisma_migrations" GROUP BY migration_name ORDER BY migration_name`,
    );
    expect(rows).toEqual(local.map((m) => ({ migration_name: m.name, n: "1" })));
  });

  it("refuses to continue when an applied migration was edited", async () => {
    const url = await emptyDatabase();
    const dir = copyOfMigrations();
    await migrateDatabase({ databaseUrl: url, migrationsDir: dir });
    appendFileSync(path.join(dir, local[0]!.name, "migration.sql"), "\n-- an afterthought\n");
    await expect(migrateDatabase({ databaseUrl: url, migrationsDir: dir })).rejects.toThrow(
      new RegExp(`migration ${local[0]!.name} was changed after it was applied`),
    );
  });

  it("accepts an applied migration whose only change is its line endings, as Prisma does", async () => {
    const url = await emptyDatabase();
    const dir = copyOfMigrations();
    await migrateDatabase({ databaseUrl: url, migrationsDir: dir });
    writeFileSync(path.join(dir, local[0]!.name, "migration.sql"), local[0]!.sql.replace(/\n/g, "\r\n"));
    await expect(migrateDatabase({ databaseUrl: url, migrationsDir: dir })).resolves.toEqual({ engine: "builtin", applied: [] });
  });

  it("records a failing migration, rolls it back, and blocks later runs until it is resolved", async () => {
    const url = await emptyDatabase();
    const dir = copyOfMigrations();
    const broken = "29990101000000_broken";
    mkdirSync(path.join(dir, broken));
    writeFileSync(path.join(dir, broken, "migration.sql"), `CREATE TABLE "half_done" (id int);\nSELECT * FROM "no_such_table";\n`);

    await expect(migrateDatabase({ databaseUrl: url, migrationsDir: dir })).rejects.toThrow(
      new RegExp(`migration ${broken} failed and was rolled back[\\s\\S]*no_such_table`),
    );
    const [failed] = await query<{ finished_at: Date | null; logs: string; applied_steps_count: number }>(
      url,
      `SELECT finished_at, logs, applied_steps_count FROM "_prisma_migrations" WHERE migration_name = $1`,
      [broken],
    );
    expect(failed).toMatchObject({ finished_at: null, applied_steps_count: 0 });
    expect(failed!.logs).toMatch(/Database error code: 42P01[\s\S]*relation "no_such_table" does not exist/);
    expect(await query(url, `SELECT to_regclass('half_done') AS t`)).toEqual([{ t: null }]);

    // Fixing the file is not enough: like Prisma (P3009), a failed migration must be resolved first.
    writeFileSync(path.join(dir, broken, "migration.sql"), `CREATE TABLE "half_done" (id int);\n`);
    await expect(migrateDatabase({ databaseUrl: url, migrationsDir: dir })).rejects.toThrow(/failed .* blocks further migrations/);

    await query(url, `UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = $1`, [broken]);
    await expect(migrateDatabase({ databaseUrl: url, migrationsDir: dir })).resolves.toEqual({ engine: "builtin", applied: [broken] });
  });

  it("refuses to lay migrations over a schema it did not create", async () => {
    const url = await emptyDatabase();
    await query(url, `CREATE TABLE "something_else" (id int)`);
    await expect(migrateDatabase({ databaseUrl: url, engine: "builtin" })).rejects.toThrow(/schema is not empty \(something_else/);
  });

  it("counts only a binary that introduces itself as the schema engine as Prisma's engine", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "rampart-engine-"));
    scratchDirs.push(dir);
    const fake = path.join(dir, "schema-engine");
    writeFileSync(fake, "#!/bin/sh\necho schema-engine-cli 0123abc\n");
    chmodSync(fake, 0o755);
    const saved = process.env.PRISMA_SCHEMA_ENGINE_BINARY;
    try {
      process.env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath; // what prisma/generate.mjs uses offline
      expect(hasSchemaEngine()).toBe(false);
      process.env.PRISMA_SCHEMA_ENGINE_BINARY = fake;
      expect(hasSchemaEngine()).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.PRISMA_SCHEMA_ENGINE_BINARY;
      else process.env.PRISMA_SCHEMA_ENGINE_BINARY = saved;
    }
  });
});

describe("guarantees of the init migration beyond the Prisma schema", () => {
  // This file's own database, migrated by the test setup.
  const url = process.env.DATABASE_URL!;

  it("keeps audit_events append-only: UPDATE, DELETE and TRUNCATE are refused", async () => {
    const [event] = await query<{ id: string }>(
      url,
      `INSERT INTO audit_events (id, actor_label, action, target_type) VALUES (gen_random_uuid(), 'system', 'test.append', 'test') RETURNING id`,
    );
    await expect(query(url, `UPDATE audit_events SET action = 'rewritten' WHERE id = $1`, [event!.id])).rejects.toThrow(
      "audit_events is append-only: UPDATE is not allowed",
    );
    await expect(query(url, `DELETE FROM audit_events WHERE id = $1`, [event!.id])).rejects.toThrow("audit_events is append-only: DELETE is not allowed");
    await expect(query(url, `TRUNCATE audit_events`)).rejects.toThrow("audit_events is append-only: TRUNCATE is not allowed");
    expect(await query(url, `SELECT action FROM audit_events WHERE id = $1`, [event!.id])).toEqual([{ action: "test.append" }]);
  });

  it("refuses a membership or API token with a role lib/auth/roles.ts does not know", async () => {
    const [user] = await query<{ id: string }>(
      url,
      `INSERT INTO users (id, email, name, password_hash, updated_at) VALUES (gen_random_uuid(), 'roles@check.test', 'R', 'x', now()) RETURNING id`,
    );
    const [team] = await query<{ id: string }>(
      url,
      `INSERT INTO teams (id, slug, name, updated_at) VALUES (gen_random_uuid(), 'roles-check', 'R', now()) RETURNING id`,
    );
    const membership = (role: string) =>
      query(url, `INSERT INTO memberships (id, user_id, team_id, role) VALUES (gen_random_uuid(), $1, $2, $3)`, [user!.id, team!.id, role]);
    const token = (role: string) =>
      query(
        url,
        `INSERT INTO api_tokens (id, name, prefix, token_hash, role, user_id, expires_at)
         VALUES (gen_random_uuid(), 't', 'p', gen_random_uuid()::text, $1, $2, now() + interval '1 day')`,
        [role, user!.id],
      );

    for (const role of ["superuser", "Admin", ""]) {
      await expect(membership(role)).rejects.toThrow(/memberships_role_check/);
      await expect(token(role)).rejects.toThrow(/api_tokens_role_check/);
    }
    for (const role of ROLES) {
      await expect(membership(role)).resolves.toEqual([]);
      await expect(token(role)).resolves.toEqual([]);
    }
  });
});
