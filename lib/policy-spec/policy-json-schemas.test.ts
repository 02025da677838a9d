import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { POLICY_JSON_SCHEMA_FILES, policyJsonSchema, type PolicyJsonSchemaFile } from "./policy-json-schemas";

const PUBLIC_SCHEMAS = path.resolve(__dirname, "../../public/schemas");

describe("JSON Schema export", () => {
  it.each(Object.keys(POLICY_JSON_SCHEMA_FILES) as PolicyJsonSchemaFile[])(
    "public/schemas/%s matches the zod schemas (run `npx tsx lib/policy-spec/cli/write-json-schema.ts` after changing them)",
    (file) => {
      const committed = JSON.parse(readFileSync(path.join(PUBLIC_SCHEMAS, file), "utf8")) as unknown;
      expect(committed).toEqual(policyJsonSchema(file));
    },
  );

  it("rejects unknown fields in editors too", () => {
    const schema = policyJsonSchema("baseline-policy.json") as { additionalProperties: unknown; properties: Record<string, unknown> };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toContain("denyRules");
  });
});
