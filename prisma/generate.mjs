// Runs `prisma generate` on install. Prisma's CLI wants a schema-engine binary even
// though generating the client does not use it; where the engine could not be
// downloaded (offline machines), point it at any existing file so generate proceeds.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const enginesDir = path.dirname(require.resolve("@prisma/engines/package.json"));
  const hasEngine = readdirSync(enginesDir).some((f) => f.startsWith("schema-engine"));
  if (!hasEngine) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
}
const cli = require.resolve("prisma/build/index.js");
const result = spawnSync(process.execPath, [cli, "generate"], { stdio: "inherit", env });
if (!existsSync(new URL("../lib/generated/prisma/client.ts", import.meta.url))) {
  console.error("prisma generate did not produce lib/generated/prisma/client.ts");
  process.exit(1);
}
process.exit(result.status ?? 1);
