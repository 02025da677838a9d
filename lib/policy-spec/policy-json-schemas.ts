// JSON Schema for editors and other tools, generated from the same zod schemas
// the portal and proxy validate with, so the two can never disagree. Policy
// documents are exported as authors write them (defaults optional); the
// bundle as the proxy receives it.

import { z } from "zod";
import { applicationPolicySchema } from "./application-policy-schema";
import { baselinePolicySchema } from "./baseline-policy-schema";
import { bundleSchema } from "./bundle-schema";

export const POLICY_JSON_SCHEMA_FILES = {
  "baseline-policy.json": { schema: baselinePolicySchema, io: "input", title: "Rampart baseline policy" },
  "application-policy.json": { schema: applicationPolicySchema, io: "input", title: "Rampart application policy" },
  "bundle.json": { schema: bundleSchema, io: "output", title: "Rampart compiled policy bundle" },
} as const;

export type PolicyJsonSchemaFile = keyof typeof POLICY_JSON_SCHEMA_FILES;

export function policyJsonSchema(file: PolicyJsonSchemaFile): Record<string, unknown> {
  const { schema, io, title } = POLICY_JSON_SCHEMA_FILES[file];
  return {
    ...z.toJSONSchema(schema, {
      io,
      target: "draft-2020-12",
      // Refinements (CIDR host bits, country codes, cross-field rules) cannot be
      // expressed in JSON Schema; they are enforced on import and reported there.
      unrepresentable: "any",
    }),
    $id: `https://rampart.dev/schemas/${file}`,
    title,
  };
}
