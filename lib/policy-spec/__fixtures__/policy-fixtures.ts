// Builders for policies in tests: a minimal valid document plus the sections a
// test cares about, validated through the real schema so fixtures cannot drift.

import type { ApplicationPolicy } from "../application-policy-schema";
import type { BaselinePolicy } from "../baseline-policy-schema";
import { parsePolicyDocument } from "../parse-policy-document";

/** The clock every merge test runs at. */
export const NOW = new Date("2026-12-01T12:00:00Z");

export function baselinePolicy(sections: Record<string, unknown> = {}): BaselinePolicy {
  const result = parsePolicyDocument(
    { apiVersion: "rampart.dev/v1alpha1", kind: "BaselinePolicy", metadata: { name: "test-baseline" }, ...sections },
    { kind: "BaselinePolicy" },
  );
  if (!result.ok) throw new Error(`invalid baseline fixture: ${JSON.stringify(result.errors)}`);
  return result.policy;
}

export function applicationPolicy(sections: Record<string, unknown> = {}): ApplicationPolicy {
  const result = parsePolicyDocument(
    {
      apiVersion: "rampart.dev/v1alpha1",
      kind: "ApplicationPolicy",
      metadata: { application: "shop", applicationVersion: "1.0.0" },
      ...sections,
    },
    { kind: "ApplicationPolicy" },
  );
  if (!result.ok) throw new Error(`invalid application fixture: ${JSON.stringify(result.errors)}`);
  return result.policy;
}

export function exception(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "search-free-text",
    family: "sqli",
    part: "parameter",
    name: "q",
    conditions: { paths: ["/search"], methods: ["GET"] },
    justification: "Free-text search takes quotes and SQL keywords by design.",
    expires: "2027-01-31",
    ...overrides,
  };
}
