// The shape of a database schema — tables, columns, keys, indexes, foreign keys, enums —
// derived once from Prisma's DMMF (what the migration should have built, following
// Prisma's naming and type conventions) and once from PostgreSQL's catalog (what it did
// build), and the differences between the two as readable lines.
import type pg from "pg";
import type { Datamodel, DmmfField, DmmfModel } from "./prisma-dmmf";

type ExpectedDefault = null | string | RegExp | "any";

export type ColumnShape = { type: string; notNull: boolean; default: string | null };
export type IndexShape = { columns: string[]; unique: boolean };
export type ForeignKeyShape = { columns: string[]; table: string; references: string[]; onDelete: string; onUpdate: string };
export type TableShape = {
  columns: Record<string, ColumnShape>;
  primaryKey: { name: string; columns: string[] } | null;
  indexes: Record<string, IndexShape>;
  foreignKeys: Record<string, ForeignKeyShape>;
};
export type SchemaShape = { tables: Record<string, TableShape>; enums: Record<string, string[]> };
type ExpectedShape = {
  tables: Record<string, Omit<TableShape, "columns"> & { columns: Record<string, Omit<ColumnShape, "default"> & { default: ExpectedDefault }> }>;
  enums: Record<string, string[]>;
};

// Tables PostgreSQL holds that the Prisma schema does not describe.
const BOOKKEEPING_TABLES = new Set(["_prisma_migrations"]);
// Defaults Prisma computes in the client, so the column has none.
const CLIENT_SIDE_DEFAULTS = new Set(["uuid", "cuid", "nanoid", "ulid"]);
const MAX_IDENTIFIER = 63;

const tableName = (model: DmmfModel) => model.dbName ?? model.name;
const columnName = (field: DmmfField) => field.dbName ?? field.name;

// Prisma's default constraint names; too long a name loses the end of its base, never its suffix.
function constraintName(table: string, columns: string[], suffix: "key" | "idx" | "fkey"): string {
  const base = `${table}_${columns.join("_")}`;
  const tail = `_${suffix}`;
  return base.length + tail.length > MAX_IDENTIFIER ? base.slice(0, MAX_IDENTIFIER - tail.length) + tail : base + tail;
}

export function expectedShape(datamodel: Datamodel): ExpectedShape {
  const enumNames = new Map(datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const models = new Map(datamodel.models.map((m) => [m.name, m]));
  const tables: ExpectedShape["tables"] = {};

  for (const model of datamodel.models) {
    const table = tableName(model);
    const byName = new Map(model.fields.map((f) => [f.name, f]));
    const column = (fieldName: string) => columnName(byName.get(fieldName)!);
    const columns: ExpectedShape["tables"][string]["columns"] = {};
    for (const field of model.fields) {
      if (field.kind !== "scalar" && field.kind !== "enum") continue;
      columns[columnName(field)] = {
        type: expectedType(field, enumNames),
        notNull: field.isRequired || field.isList,
        default: expectedDefault(field, enumNames),
      };
    }

    const indexes: Record<string, IndexShape> = {};
    let primaryKey: TableShape["primaryKey"] = null;
    for (const index of datamodel.indexes.filter((i) => i.model === model.name)) {
      const cols = index.fields.map((f) => column(f.name));
      if (index.type === "id") {
        primaryKey = { name: index.dbName ?? `${table}_pkey`, columns: cols };
        // The primary key's index is checked as the primary key.
      } else if (index.type === "unique") {
        indexes[index.dbName ?? constraintName(table, cols, "key")] = { columns: cols, unique: true };
      } else {
        indexes[index.dbName ?? constraintName(table, cols, "idx")] = { columns: cols, unique: false };
      }
    }

    const foreignKeys: Record<string, ForeignKeyShape> = {};
    for (const field of model.fields) {
      if (field.kind !== "object" || !field.relationFromFields?.length) continue;
      const target = models.get(field.type)!;
      const targetFields = new Map(target.fields.map((f) => [f.name, f]));
      const cols = field.relationFromFields.map(column);
      const required = field.relationFromFields.every((name) => byName.get(name)!.isRequired);
      foreignKeys[constraintName(table, cols, "fkey")] = {
        columns: cols,
        table: tableName(target),
        references: field.relationToFields!.map((name) => columnName(targetFields.get(name)!)),
        // Prisma's defaults: Restrict when the relation is required, SetNull when optional; updates cascade.
        onDelete: field.relationOnDelete ?? (required ? "Restrict" : "SetNull"),
        onUpdate: field.relationOnUpdate ?? "Cascade",
      };
    }
    tables[table] = { columns, primaryKey, indexes, foreignKeys };
  }

  const enums = Object.fromEntries(datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name)]));
  return { tables, enums };
}

// Prisma's PostgreSQL type for a field, spelled as format_type() spells it.
function expectedType(field: DmmfField, enumNames: Map<string, string>): string {
  const [native, args = []] = field.nativeType ?? [];
  const base = (() => {
    if (field.kind === "enum") return `enum ${enumNames.get(field.type)}`;
    switch (field.type) {
      case "String":
        if (native === "Uuid") return "uuid";
        if (native === "VarChar") return args.length ? `character varying(${args[0]})` : "character varying";
        if (native === "Char") return `character(${args[0] ?? 1})`;
        if (native === "Citext") return "citext";
        if (native === "Inet") return "inet";
        return "text";
      case "Int":
        return native === "SmallInt" ? "smallint" : native === "Oid" ? "oid" : "integer";
      case "BigInt":
        return "bigint";
      case "Float":
        return native === "Real" ? "real" : "double precision";
      case "Decimal":
        return native === "Money" ? "money" : `numeric(${args[0] ?? 65},${args[1] ?? 30})`;
      case "Boolean":
        return "boolean";
      case "DateTime":
        if (native === "Date") return "date";
        if (native === "Timestamptz") return `timestamp(${args[0] ?? 3}) with time zone`;
        if (native === "Time") return `time(${args[0] ?? 3}) without time zone`;
        if (native === "Timetz") return `time(${args[0] ?? 3}) with time zone`;
        return `timestamp(${args[0] ?? 3}) without time zone`;
      case "Json":
        return native === "Json" ? "json" : "jsonb";
      case "Bytes":
        return "bytea";
      default:
        return `unsupported ${field.type}${native ? ` @db.${native}` : ""}`;
    }
  })();
  return field.isList ? `${base}[]` : base;
}

function expectedDefault(field: DmmfField, enumNames: Map<string, string>): ExpectedDefault {
  if (!field.hasDefaultValue || field.default === undefined) return null;
  const value = field.default;
  if (typeof value === "object" && value !== null && "name" in value) {
    const fn = value as { name: string };
    if (CLIENT_SIDE_DEFAULTS.has(fn.name)) return null;
    if (fn.name === "now") return "CURRENT_TIMESTAMP";
    if (fn.name === "autoincrement") return /^nextval\('.+_seq'::regclass\)$/;
    return "any"; // dbgenerated(…) and the like: the expression is the migration's to choose
  }
  if (Array.isArray(value)) return "any";
  if (field.kind === "enum") return `'${value as string}'::"${enumNames.get(field.type)}"`;
  switch (field.type) {
    case "String":
      return `'${String(value).replace(/'/g, "''")}'::text`;
    case "Json":
      return `'${String(value).replace(/'/g, "''")}'::jsonb`;
    case "Boolean":
      return String(value);
    case "Int":
    case "BigInt":
    case "Float":
    case "Decimal":
      return Number(value) < 0 ? new RegExp(`^'?${value}'?(::\\w+)?$`) : String(value);
    default:
      return "any";
  }
}

// Partitions (security_events_pYYYYMMDD) are storage of their partitioned table, which is
// what schema.prisma describes; they are left out (relispartition).
/** The shape of the current schema of a database (the one search_path points at). */
export async function actualShape(client: pg.Client): Promise<SchemaShape> {
  const tables: Record<string, TableShape> = {};
  const { rows: tableRows } = await client.query<{ name: string }>(`
    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition`);
  for (const { name } of tableRows) {
    if (BOOKKEEPING_TABLES.has(name)) continue;
    tables[name] = { columns: {}, primaryKey: null, indexes: {}, foreignKeys: {} };
  }

  const { rows: columnRows } = await client.query<{
    table: string;
    column: string;
    type: string;
    typtype: string;
    typname: string;
    not_null: boolean;
    default: string | null;
  }>(`
    SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
           t.typtype, t.typname, a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped`);
  for (const row of columnRows) {
    const table = tables[row.table];
    if (!table) continue;
    table.columns[row.column] = {
      type: row.typtype === "e" ? `enum ${row.typname}` : row.type,
      notNull: row.not_null,
      default: row.default,
    };
  }

  const { rows: indexRows } = await client.query<{
    table: string;
    name: string;
    unique: boolean;
    primary: boolean;
    columns: string[];
    constraint_name: string | null;
  }>(`
    SELECT t.relname AS table, i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary,
           array(SELECT COALESCE(a.attname::text, pg_get_indexdef(ix.indexrelid, k.ord::int, true))
                 FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
                 LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
                 ORDER BY k.ord) AS columns,
           con.conname AS constraint_name
    FROM pg_index ix
    JOIN pg_class i ON i.oid = ix.indexrelid
    JOIN pg_class t ON t.oid = ix.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    LEFT JOIN pg_constraint con ON con.conindid = ix.indexrelid AND con.contype = 'p'
    WHERE n.nspname = current_schema()`);
  for (const row of indexRows) {
    const table = tables[row.table];
    if (!table) continue;
    if (row.primary) table.primaryKey = { name: row.constraint_name ?? row.name, columns: row.columns };
    else table.indexes[row.name] = { columns: row.columns, unique: row.unique };
  }

  const { rows: fkRows } = await client.query<{
    table: string;
    name: string;
    target: string;
    columns: string[];
    references: string[];
    on_delete: string;
    on_update: string;
  }>(`
    SELECT src.relname AS table, con.conname AS name, dst.relname AS target,
           array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
           array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS references,
           con.confdeltype AS on_delete, con.confupdtype AS on_update
    FROM pg_constraint con
    JOIN pg_class src ON src.oid = con.conrelid
    JOIN pg_class dst ON dst.oid = con.confrelid
    JOIN pg_namespace n ON n.oid = src.relnamespace
    WHERE con.contype = 'f' AND n.nspname = current_schema()`);
  const ACTIONS: Record<string, string> = { a: "NoAction", r: "Restrict", c: "Cascade", n: "SetNull", d: "SetDefault" };
  for (const row of fkRows) {
    const table = tables[row.table];
    if (!table) continue;
    table.foreignKeys[row.name] = {
      columns: row.columns,
      table: row.target,
      references: row.references,
      onDelete: ACTIONS[row.on_delete] ?? row.on_delete,
      onUpdate: ACTIONS[row.on_update] ?? row.on_update,
    };
  }

  const { rows: enumRows } = await client.query<{ name: string; values: string[] }>(`
    SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = current_schema() GROUP BY t.typname`);
  const enums = Object.fromEntries(enumRows.map((row) => [row.name, row.values]));
  return { tables, enums };
}

/** Every way the database differs from the schema, one line each; empty when they match. */
export function schemaDifferences(expected: ExpectedShape, actual: SchemaShape): string[] {
  const out: string[] = [];
  const show = (value: unknown) => (value instanceof RegExp ? String(value) : JSON.stringify(value));

  for (const name of union(Object.keys(expected.enums), Object.keys(actual.enums))) {
    const want = expected.enums[name];
    const got = actual.enums[name];
    if (!got) out.push(`enum ${name}: missing from the database`);
    else if (!want) out.push(`enum ${name}: in the database but not in schema.prisma`);
    else if (show(want) !== show(got)) out.push(`enum ${name}: values ${show(got)}, schema.prisma has ${show(want)}`);
  }

  for (const name of union(Object.keys(expected.tables), Object.keys(actual.tables))) {
    const want = expected.tables[name];
    const got = actual.tables[name];
    if (!got) {
      out.push(`table ${name}: missing from the database`);
      continue;
    }
    if (!want) {
      out.push(`table ${name}: in the database but not in schema.prisma`);
      continue;
    }
    for (const column of union(Object.keys(want.columns), Object.keys(got.columns))) {
      const w = want.columns[column];
      const g = got.columns[column];
      const where = `column ${name}.${column}`;
      if (!g) out.push(`${where}: missing from the database`);
      else if (!w) out.push(`${where}: in the database but not in schema.prisma`);
      else {
        if (w.type !== g.type) out.push(`${where}: type ${g.type}, schema.prisma wants ${w.type}`);
        if (w.notNull !== g.notNull) out.push(`${where}: ${g.notNull ? "NOT NULL" : "nullable"}, schema.prisma wants ${w.notNull ? "NOT NULL" : "nullable"}`);
        if (!defaultMatches(w.default, g.default)) out.push(`${where}: default ${show(g.default)}, schema.prisma wants ${show(w.default)}`);
      }
    }
    if (show(want.primaryKey) !== show(got.primaryKey))
      out.push(`table ${name}: primary key ${show(got.primaryKey)}, schema.prisma wants ${show(want.primaryKey)}`);
    for (const index of union(Object.keys(want.indexes), Object.keys(got.indexes))) {
      const w = want.indexes[index];
      const g = got.indexes[index];
      if (!g) out.push(`index ${index} on ${name}: missing from the database (${show(w)})`);
      else if (!w) out.push(`index ${index} on ${name}: in the database but not in schema.prisma (${show(g)})`);
      else if (show(w) !== show(g)) out.push(`index ${index} on ${name}: ${show(g)}, schema.prisma wants ${show(w)}`);
    }
    for (const fk of union(Object.keys(want.foreignKeys), Object.keys(got.foreignKeys))) {
      const w = want.foreignKeys[fk];
      const g = got.foreignKeys[fk];
      if (!g) out.push(`foreign key ${fk} on ${name}: missing from the database (${show(w)})`);
      else if (!w) out.push(`foreign key ${fk} on ${name}: in the database but not in schema.prisma (${show(g)})`);
      else if (show(w) !== show(g)) out.push(`foreign key ${fk} on ${name}: ${show(g)}, schema.prisma wants ${show(w)}`);
    }
  }
  return out;
}

function defaultMatches(want: ExpectedDefault, got: string | null): boolean {
  if (want === null) return got === null;
  if (got === null) return false;
  if (want === "any") return true;
  if (want instanceof RegExp) return want.test(got);
  return want === got;
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}
