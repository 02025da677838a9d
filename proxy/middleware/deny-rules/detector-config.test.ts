// The policy spec's rule catalog is what the portal lets an exception name; the
// engine is what the proxy can honour. They must be the same list, with the
// same family mapping, or a published policy could be refused by every proxy.
import { describe, expect, it } from "vitest";
import { DENY_RULE_DESCRIPTIONS, DENY_RULES } from "@/lib/policy-spec";
import { listRules, REQUEST_CHECKS } from "../../detection/index.js";
import { ENGINE_FAMILY_POLICY, engineRuleFor } from "./detector-config.js";

describe("the policy spec's deny-rule catalog", () => {
  const requestChecks = new Set(REQUEST_CHECKS.map((check) => check.id));
  const engineRules = listRules().filter((rule) => !requestChecks.has(rule.id));

  it("lists exactly the engine's value rules, each in the policy family the engine maps it to", () => {
    const expected = engineRules.map((rule) => [rule.id, ENGINE_FAMILY_POLICY[rule.family]]).sort();
    expect([...DENY_RULES].map(([id, family]) => [id, family]).sort()).toEqual(expected);
  });

  it("describes every rule in the engine's own words (the portal's rule picker shows them)", () => {
    expect(DENY_RULE_DESCRIPTIONS).toEqual(Object.fromEntries(engineRules.map((rule) => [rule.id, rule.description])));
  });

  it("names every rule so that the engine finds it", () => {
    for (const [id] of DENY_RULES) expect(engineRuleFor(id)?.id).toBe(id);
  });

  it("offers no exception for request-level checks such as smuggling", () => {
    for (const id of requestChecks) expect(DENY_RULES.some(([ruleId]) => ruleId === id)).toBe(false);
  });
});
