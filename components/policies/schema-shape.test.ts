import { describe, expect, it } from "vitest";
import { applicationPolicySchema, baselinePolicySchema } from "@/lib/policy-spec";
import { fieldKeys, shapeOf, type Shape } from "./schema-shape";

function field(shape: Shape, ...path: string[]): Shape {
  let current = shape;
  for (const key of path) {
    if (current.kind !== "object") throw new Error(`${key}: not an object`);
    current = current.fields.find(([k]) => k === key)![1];
  }
  return current;
}

describe("reading the policy schemas into form fields", () => {
  const baseline = shapeOf(baselinePolicySchema);
  const application = shapeOf(applicationPolicySchema);

  it("finds enums, numbers, booleans and their defaults", () => {
    expect(field(baseline, "denyRules", "sqli", "level")).toMatchObject({ kind: "enum", options: ["basic", "standard", "strict"], defaultValue: "standard" });
    expect(field(baseline, "limits", "maxBodyBytes")).toMatchObject({ kind: "number", defaultValue: 10 * 1024 * 1024 });
    expect(field(baseline, "securityHeaders", "hsts", "preload")).toMatchObject({ kind: "boolean" });
    expect(field(application, "tls", "minVersion")).toMatchObject({ kind: "enum", options: ["1.2", "1.3"], optional: true });
  });

  it("offers method lists as choices, path lists as lines, and anything richer as YAML", () => {
    expect(field(application, "methods", "allowed")).toMatchObject({ kind: "enum-list" });
    expect(field(application, "adminBlocking", "paths")).toMatchObject({ kind: "string-list", optional: true });
    expect(field(application, "exceptions")).toMatchObject({ kind: "yaml" });
    expect(field(baseline, "tls", "cipherSuites")).toMatchObject({ kind: "yaml" });
  });

  it("lists every field key for placing errors", () => {
    expect(fieldKeys(baseline)).toEqual(
      expect.arrayContaining(["metadata.name", "denyRules.sqli.level", "limits.maxJsonDepth", "exceptionPolicy.maxLifetimeDays"]),
    );
  });
});
