import { describe, expect, it } from "vitest";
import { parsePolicyDocument, type ApplicationPolicy } from "@/lib/policy-spec";
import { hasFineGrainedRules } from "./has-fine-grained-rules";

function applicationPolicy(sections: Record<string, unknown>): ApplicationPolicy {
  const parsed = parsePolicyDocument(
    { apiVersion: "rampart.dev/v1alpha1", kind: "ApplicationPolicy", metadata: { application: "shop", applicationVersion: "1.0.0" }, ...sections },
    { kind: "ApplicationPolicy" },
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.policy;
}

describe("hasFineGrainedRules", () => {
  it("is false without a policy, for metadata alone, and for empty sections", () => {
    expect(hasFineGrainedRules(null)).toBe(false);
    expect(hasFineGrainedRules(applicationPolicy({}))).toBe(false);
    expect(hasFineGrainedRules(applicationPolicy({ denyRules: {}, adminBlocking: { paths: [] } }))).toBe(false);
  });

  it("is false when the policy only loosens through exceptions", () => {
    const exception = {
      id: "search",
      family: "sqli",
      part: "parameter",
      name: "q",
      conditions: { paths: ["/search"], methods: ["GET"] },
      justification: "Free-text search takes quotes by design.",
      expires: "2027-01-31",
    };
    expect(hasFineGrainedRules(applicationPolicy({ exceptions: [exception] }))).toBe(false);
  });

  it("is true as soon as one section protects something", () => {
    expect(hasFineGrainedRules(applicationPolicy({ denyRules: { sqli: { level: "strict" } } }))).toBe(true);
    expect(hasFineGrainedRules(applicationPolicy({ allow: [{ path: "/api/**", methods: ["GET"] }] }))).toBe(true);
  });
});
