import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NOW } from "./__fixtures__/policy-fixtures";
import { bundleSchema } from "./bundle-schema";
import { compilePolicy } from "./compile-policy";
import { mergePolicies } from "./merge-policies";
import { parsePolicyDocument } from "./parse-policy-document";

const EXAMPLES = path.resolve(__dirname, "../../examples/policies");

function load(file: string) {
  const result = parsePolicyDocument(readFileSync(path.join(EXAMPLES, file), "utf8"));
  if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.errors, null, 2)}`);
  return result.policy;
}

describe("example policies", () => {
  it.each(readdirSync(EXAMPLES).filter((file) => file.endsWith(".yaml")))("%s is a valid policy document", (file) => {
    expect(() => load(file)).not.toThrow();
  });

  it("the recommended baseline sets every family to standard/block and restricts no one", () => {
    const baseline = load("baseline-standard.yaml");
    if (baseline.kind !== "BaselinePolicy") throw new Error("kind");
    expect(Object.values(baseline.denyRules).every((rule) => rule.level === "standard" && rule.mode === "block")).toBe(true);
    expect(baseline.ipAllow.rules).toEqual([]);
    expect(baseline.geolocation).toEqual({});
    expect(baseline.authentication.required).toBe(false);
    expect(baseline.securityHeaders.hsts.enabled).toBe(true);
  });

  it.each(["baseline-standard.yaml", "baseline-strict.yaml"])("the payments API policy merges with %s and compiles", (file) => {
    const baseline = load(file);
    const application = load("app-payments-api.yaml");
    if (baseline.kind !== "BaselinePolicy" || application.kind !== "ApplicationPolicy") throw new Error("kind");
    const merged = mergePolicies(baseline, application, { now: NOW });
    expect(merged).toMatchObject({ ok: true });
    if (!merged.ok) return;
    expect(merged.effective.exceptions).toHaveLength(1);
    expect(merged.effective.flags).toHaveLength(1);
    expect(bundleSchema.safeParse(compilePolicy(merged.effective)).success).toBe(true);
  });

  it("the payments API exception drops out once expired", () => {
    const baseline = load("baseline-standard.yaml");
    const application = load("app-payments-api.yaml");
    if (baseline.kind !== "BaselinePolicy" || application.kind !== "ApplicationPolicy") throw new Error("kind");
    const merged = mergePolicies(baseline, application, { now: new Date("2027-02-01T00:00:00Z") });
    expect(merged.ok && merged.effective.exceptions).toEqual([]);
    expect(merged.ok && merged.effective.droppedExceptions.map((dropped) => dropped.id)).toEqual(["search-free-text"]);
  });
});
