// Writes public/schemas/*.json from the policy zod schemas (npm run policy:schema).
// The only part of lib/policy-spec that touches the file system.

import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { POLICY_JSON_SCHEMA_FILES, policyJsonSchema, type PolicyJsonSchemaFile } from "../policy-json-schemas";

const outputDirectory = path.resolve(process.argv[2] ?? "public/schemas");

await mkdir(outputDirectory, { recursive: true });
for (const file of Object.keys(POLICY_JSON_SCHEMA_FILES) as PolicyJsonSchemaFile[]) {
  const target = path.join(outputDirectory, file);
  await writeFile(target, `${JSON.stringify(policyJsonSchema(file), null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
