// The hand-written migrations build exactly what prisma/schema.prisma describes: every
// model's table, every field's column (type, nullability, default), primary keys,
// unique and plain indexes, foreign keys with their actions, and enums. The expectation
// is derived from schema.prisma by Prisma's own parser, so a model change without a
// migration (or a migration without the model change) fails here.
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDatamodel, SCHEMA_PATH } from "../helpers/prisma-dmmf";
import { actualShape, expectedShape, schemaDifferences, type SchemaShape } from "../helpers/schema-shape";

let database: SchemaShape;
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });

beforeAll(async () => {
  await client.connect();
  database = await actualShape(client);
});
afterAll(async () => {
  await client.end();
});

describe("the migrated database", () => {
  it("matches prisma/schema.prisma in tables, columns, keys, indexes, foreign keys and enums", async () => {
    const datamodel = await loadDatamodel();
    expect(datamodel.models.length).toBeGreaterThan(0);
    expect(schemaDifferences(expectedShape(datamodel), database)).toEqual([]);
  });

  it("is checked closely enough that a schema change without a migration is caught", async () => {
    // A few kinds of drift at once, applied to a copy of the schema.
    let schema = readFileSync(SCHEMA_PATH, "utf8");
    const change = (from: RegExp, to: string) => {
      const next = schema.replace(from, to);
      if (next === schema) throw new Error(`the drift ${from} no longer applies to schema.prisma; pick another`);
      schema = next;
    };
    change(/(model User \{\n)/, "$1  nickname String?\n");
    change(/(outcome\s+String\s+)@default\("success"\)/, '$1@default("ok")');
    change(/(disabledAt\s+DateTime\?\s+@map\("disabled_at"\)) @db\.Timestamptz\(3\)/, "$1");
    change(/(model Membership \{[\s\S]*?)\n\s*@@index\(\[teamId\]\)/, "$1");
    change(/(model Session \{[\s\S]*?fields: \[userId\], references: \[id\], onDelete: )Cascade/, "$1Restrict");
    change(/(enum Exposure \{[^}]*)\}/, "$1  partner\n}");
    change(/(model RateLimitBucket \{[\s\S]*?)(\n\s*@@map)/, "$1\n  @@index([windowStart])$2");

    const differences = schemaDifferences(expectedShape(await loadDatamodel({ text: schema })), database);
    expect(differences).toEqual(
      expect.arrayContaining([
        "column users.nickname: missing from the database",
        `column audit_events.outcome: default "'success'::text", schema.prisma wants "'ok'::text"`,
        "column users.disabled_at: type timestamp(3) with time zone, schema.prisma wants timestamp(3) without time zone",
        'index memberships_team_id_idx on memberships: in the database but not in schema.prisma ({"columns":["team_id"],"unique":false})',
        expect.stringMatching(/^foreign key sessions_user_id_fkey on sessions: .*"onDelete":"Cascade".*schema\.prisma wants .*"onDelete":"Restrict"/),
        expect.stringMatching(/^enum Exposure: values \["internet","internal"\], schema\.prisma has \["internet","internal","partner"\]$/),
        expect.stringMatching(/^index rate_limit_buckets_window_start_idx on rate_limit_buckets: missing from the database/),
      ]),
    );
    expect(differences).toHaveLength(7);
  });
});
