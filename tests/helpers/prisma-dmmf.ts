// schema.prisma parsed by Prisma itself. Prisma's schema parser ships inside the CLI as
// WebAssembly with no public API; what is public is the generator protocol: `prisma
// generate` hands every generator the parsed schema (DMMF). So a copy of the schema
// with one tiny generator (dmmf-generator.mjs) in place of the real ones yields the
// DMMF, offline, exactly as Prisma reads the file.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const SCHEMA_PATH = path.join(ROOT, "prisma/schema.prisma");

export type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUnique: boolean;
  isUpdatedAt?: boolean;
  hasDefaultValue: boolean;
  type: string;
  nativeType?: [string, string[]] | null;
  default?: unknown;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
};

export type DmmfModel = {
  name: string;
  dbName: string | null;
  schema?: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
};

export type DmmfIndex = {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  isDefinedOnField: boolean;
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string; sortOrder?: "asc" | "desc"; length?: number; operatorClass?: string }[];
};

export type DmmfEnum = { name: string; dbName?: string | null; values: { name: string; dbName?: string | null }[] };

export type Datamodel = { models: DmmfModel[]; enums: DmmfEnum[]; indexes: DmmfIndex[] };

/** The DMMF datamodel of a Prisma schema, given as a path or (with `text`) as source. */
export async function loadDatamodel(source: { path?: string; text?: string } = {}): Promise<Datamodel> {
  const schema = source.text ?? readFileSync(source.path ?? SCHEMA_PATH, "utf8");
  const dir = mkdtempSync(path.join(os.tmpdir(), "rampart-dmmf-"));
  try {
    const output = path.join(dir, "dmmf.json");
    const generator = path.join(import.meta.dirname, "dmmf-generator.mjs");
    const copy =
      schema.replace(/^generator\s+\w+\s*\{[^}]*\}/gm, "") +
      `\ngenerator dmmf {\n  provider = ${JSON.stringify(`"${process.execPath}" "${generator}"`)}\n  output   = ${JSON.stringify(output)}\n}\n`;
    writeFileSync(path.join(dir, "schema.prisma"), copy);
    await run(process.execPath, [path.join(ROOT, "node_modules/prisma/build/index.js"), "generate", "--schema", "schema.prisma"], dir);
    return JSON.parse(readFileSync(output, "utf8")) as Datamodel;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        // `prisma generate` insists on a schema-engine path without using it (see prisma/generate.mjs).
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
        CHECKPOINT_DISABLE: "1",
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
      },
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`prisma generate failed (${code}):\n${output}`))));
  });
}
