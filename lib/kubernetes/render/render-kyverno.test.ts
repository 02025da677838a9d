import { describe, expect, it } from "vitest";
import { examplePaymentsApi, exampleBaseline } from "./__fixtures__/render-fixtures";
import { manifestSchemaErrors } from "./__fixtures__/manifest-schemas";
import { renderKyvernoPolicy } from "./render-kyverno";
import { renderRampartPolicy } from "./render-rampart-policy";

/**
 * The subset of Kyverno's pattern semantics the generated rules use: objects
 * match field by field, a string pattern "a | b" matches either value exactly,
 * a missing field fails. Anything else in a pattern is a test failure, so the
 * evaluator cannot silently pass something it does not understand.
 */
function matchesPattern(pattern: unknown, value: unknown): boolean {
  if (typeof pattern === "string") return pattern.split(" | ").includes(value as string);
  if (typeof pattern === "object" && pattern !== null && !Array.isArray(pattern)) {
    if (typeof value !== "object" || value === null) return false;
    return Object.entries(pattern).every(([key, child]) => {
      if (/[()=^+<>X]/.test(key)) throw new Error(`anchor ${key} is outside the evaluated subset`);
      return key in value && matchesPattern(child, (value as Record<string, unknown>)[key]);
    });
  }
  throw new Error(`pattern ${JSON.stringify(pattern)} is outside the evaluated subset`);
}

function rule(policy: ReturnType<typeof renderKyvernoPolicy>, name: string) {
  const found = (policy.spec as any).rules.find((candidate: any) => candidate.name === name);
  if (!found) throw new Error(`no rule ${name}`);
  return found;
}

const standard = renderKyvernoPolicy(exampleBaseline("baseline-standard.yaml"));
const strict = renderKyvernoPolicy(exampleBaseline("baseline-strict.yaml"));

describe("renderKyvernoPolicy", () => {
  it.each([
    ["standard", standard],
    ["strict", strict],
  ])("the %s ClusterPolicy validates against the vendored Kyverno CRD and enforces", (_name, policy) => {
    expect(manifestSchemaErrors(policy)).toEqual([]);
    expect(policy.spec).toMatchObject({ validationFailureAction: "Enforce", background: true });
    for (const entry of (policy.spec as any).rules) {
      expect(entry.name.length).toBeLessThanOrEqual(63);
      // Deletes must stay possible.
      expect(entry.preconditions).toEqual({ all: [{ key: "{{ request.operation || 'BACKGROUND' }}", operator: "NotEquals", value: "DELETE" }] });
    }
  });

  it("takes the deny-rule floors from the baseline", () => {
    const pattern = rule(strict, "rampart-deny-rule-floors").validate.pattern.spec.bundle.denyRules;
    expect(pattern.sqli).toEqual({ level: "strict", mode: "block" });
    expect(rule(standard, "rampart-deny-rule-floors").validate.pattern.spec.bundle.denyRules.sqli).toEqual({ level: "standard | strict", mode: "block" });
    const lenient = renderKyvernoPolicy({ ...exampleBaseline(), denyRules: { ...exampleBaseline().denyRules, php: { level: "basic", mode: "log-only" } } });
    expect(rule(lenient, "rampart-deny-rule-floors").validate.pattern.spec.bundle.denyRules.php).toEqual({
      level: "basic | standard | strict",
      mode: "block | log-only",
    });
  });

  it("admits the RampartPolicy Rampart renders and refuses a weakened one", () => {
    const app = examplePaymentsApi("baseline-strict.yaml");
    const resource = renderRampartPolicy({ applicationId: app.id, application: app.name, namespace: "payments", bundle: app.bundle });
    const floors = rule(strict, "rampart-deny-rule-floors").validate.pattern;
    expect(matchesPattern(floors, resource)).toBe(true);

    const lowered = structuredClone(resource) as any;
    lowered.spec.bundle.denyRules.xss.level = "standard";
    expect(matchesPattern(floors, lowered)).toBe(false);
    const logOnly = structuredClone(resource) as any;
    logOnly.spec.bundle.denyRules.rce.mode = "log-only";
    expect(matchesPattern(floors, logOnly)).toBe(false);
    const missing = structuredClone(resource) as any;
    delete missing.spec.bundle.denyRules.java;
    expect(matchesPattern(floors, missing)).toBe(false);
  });

  it("holds the Airlock DenyRules global settings to the highest floor; left out (Airlock's Standard) only where that meets it", () => {
    // Behaviour is in admission-policies.test.ts; here the shape of the pattern.
    expect(rule(strict, "airlock-deny-rules-floor").validate.pattern).toEqual({
      spec: { request: { builtIn: { settings: { level: "Strict", "=(threatHandlingMode)": "Block" } } } },
    });
    expect(rule(standard, "airlock-deny-rules-floor").validate.pattern).toEqual({
      spec: { request: { builtIn: { "=(settings)": { "=(level)": "Standard | Strict", "=(threatHandlingMode)": "Block" } } } },
    });
  });

  it("checks overrides of every Airlock rule key (LDAP and IDOR included) and overrides without keys", () => {
    const conditions = rule(standard, "airlock-deny-rules-overrides").validate.deny.conditions.any.map((condition: any) => condition.key as string);
    for (const key of ["SQL", "LDAP", "IDOR", "BOT"])
      expect(
        conditions.some((condition: string) => condition.includes(`"${key}"`)),
        key,
      ).toBe(true);
    expect(conditions.some((condition: string) => condition.includes("!(conditions.ruleKeys || `[]`)"))).toBe(true);
  });

  it("requires the baseline's security headers and refuses catch-all and non-exempt exceptions", () => {
    expect(rule(strict, "rampart-required-security-headers").validate.deny.conditions.any).toEqual([
      {
        key: ["strict-transport-security", "x-frame-options", "x-content-type-options", "referrer-policy", "permissions-policy"],
        operator: "AnyNotIn",
        value: "{{ map(&to_lower(@), (request.object.spec.bundle.responseHeaders || `[]`)[*][0]) }}",
      },
    ]);
    expect(rule(strict, "rampart-non-exempt-families").validate.deny.conditions.any[0].key).toContain('["java","protocol"]');
    expect(() => rule(standard, "rampart-non-exempt-families")).toThrow();
    // Catch-alls are found by what they match (the canary paths), not by their spelling.
    const catchAll = rule(standard, "rampart-no-catch-all-exceptions").validate.deny.conditions.any[0].key;
    expect(catchAll).toContain("regex_match(source, '/rampart-canary-4f1c')");
    expect(rule(strict, "airlock-deny-rules-exceptions").validate.deny.conditions.any.at(-1).key).toContain(
      '["ENCODING","EXPLOIT","HPP","OGNL","PROTOCOL","SANITY","TEMPLATE"]',
    );
  });

  it("holds Airlock Limits to the baseline's limits and keeps the Parser's parsers on", () => {
    const limits = rule(standard, "airlock-limits").validate.pattern.spec.request.limited;
    expect(limits).toEqual({
      general: { bodySize: "<= 10485760", pathLength: "<= 8192" },
      json: { bodySize: "<= 1048576", nestingDepth: "<= 32" },
      parameter: { bodySize: "<= 10485760", count: "<= 256", valueLength: "<= 4096" },
      multipart: { bodySize: "<= 10485760" },
    });
    expect(rule(standard, "airlock-parser-enabled").validate.pattern.spec["=(request)"]["=(parsers)"]["=(json)"]).toEqual({ "=(enable)": true });
  });

  it("a baseline without headers drops the header rules", () => {
    const bare = exampleBaseline();
    const policy = renderKyvernoPolicy({
      ...bare,
      securityHeaders: {
        ...bare.securityHeaders,
        hsts: { ...bare.securityHeaders.hsts, enabled: false },
        frameOptions: "off",
        contentTypeOptions: "off",
        referrerPolicy: "off",
        permissionsPolicy: {},
      },
    });
    const names = (policy.spec as any).rules.map((entry: any) => entry.name);
    expect(names).not.toContain("rampart-required-security-headers");
    expect(names).not.toContain("airlock-required-security-headers");
  });
});
