// Evaluates the generated Kyverno deny conditions with a real JMESPath
// implementation (Python's jmespath, the reference implementation of the
// specification Kyverno's go-jmespath follows) against rendered and weakened
// resources. The operators Kyverno applies to the results (AnyIn, AnyNotIn,
// GreaterThan) are small and reimplemented here. Skipped, visibly, where
// python3 has no jmespath module.

import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { examplePaymentsApi } from "./__fixtures__/render-fixtures";
import type { KubernetesResource } from "./kubernetes-resource";
import { renderAirlock } from "./render-airlock";
import { renderKyvernoPolicy } from "./render-kyverno";
import { renderRampartPolicy } from "./render-rampart-policy";

const EVALUATOR = `
import json, re, sys, jmespath
cases = json.load(sys.stdin)
def value(expr, obj):
    m = re.fullmatch(r"\\{\\{\\s*(.*?)\\s*\\}\\}", expr) if isinstance(expr, str) else None
    return jmespath.search(m.group(1), {"request": {"object": obj, "operation": "CREATE"}}) if m else expr
def holds(op, key, val):
    keys = key if isinstance(key, list) else ([] if key is None else [key])
    vals = val if isinstance(val, list) else [val]
    if op == "AnyNotIn": return any(k not in vals for k in keys)
    if op == "AnyIn": return any(k in vals for k in keys)
    if op == "GreaterThan": return key > val
    raise ValueError(op)
print(json.dumps([any(holds(c["operator"], value(c["key"], case["object"]), value(c["value"], case["object"])) for c in case["conditions"]) for case in cases]))
`;

const hasJmespath = spawnSync("python3", ["-c", "import jmespath"]).status === 0;

function denied(cases: { conditions: unknown[]; object: unknown }[]): boolean[] {
  const result = spawnSync("python3", ["-c", EVALUATOR], { input: JSON.stringify(cases), encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout) as boolean[];
}

const app = examplePaymentsApi("baseline-strict.yaml");
const policy = renderKyvernoPolicy(app.baseline);
const conditionsOf = (name: string) => ((policy.spec as any).rules.find((rule: any) => rule.name === name).validate.deny.conditions.any as unknown[]);
const rampart = renderRampartPolicy({ applicationId: app.id, application: app.name, namespace: "payments", bundle: app.bundle }) as any;
const airlock = renderAirlock({ application: app.name, namespace: "payments", bundle: app.bundle, effective: app.effective }).resources;
const denyRules = airlock.find((resource) => resource.kind === "DenyRules") as any;
const headerRewrites = airlock.find((resource) => resource.kind === "HeaderRewrites") as any;

function changed<T extends KubernetesResource>(resource: T, change: (copy: any) => void): T {
  const copy = structuredClone(resource);
  change(copy);
  return copy;
}

describe.skipIf(!hasJmespath)("Kyverno deny conditions under JMESPath", () => {
  it("admit what Rampart renders and refuse each weakening", () => {
    const cases: [string, string, unknown, boolean][] = [
      ["rendered policy: wildcard rule", "rampart-no-wildcard-exceptions", rampart, false],
      ["rendered policy: headers rule", "rampart-required-security-headers", rampart, false],
      ["rendered policy: non-exempt rule", "rampart-non-exempt-families", rampart, false],
      ["exception on /**", "rampart-no-wildcard-exceptions", changed(rampart, (c) => c.spec.bundle.exceptions[0].paths.push({ kind: "prefix", value: "", caseInsensitive: false })), true],
      ["exception on /*/**", "rampart-no-wildcard-exceptions", changed(rampart, (c) => c.spec.bundle.exceptions[0].paths.push({ kind: "regex", source: "^/[^/]+(?:/.*)?$", caseInsensitive: false })), true],
      ["exception on /users/{id}", "rampart-no-wildcard-exceptions", changed(rampart, (c) => c.spec.bundle.exceptions[0].paths.push({ kind: "regex", source: "^/users/[^/]+$", caseInsensitive: false })), false],
      ["X-Frame-Options missing", "rampart-required-security-headers", changed(rampart, (c) => (c.spec.bundle.responseHeaders = c.spec.bundle.responseHeaders.filter((h: string[]) => h[0] !== "X-Frame-Options"))), true],
      ["exception for java", "rampart-non-exempt-families", changed(rampart, (c) => (c.spec.bundle.exceptions[0].family = "java")), true],
      ["rendered DenyRules: overrides", "airlock-deny-rules-overrides", denyRules, false],
      ["rendered DenyRules: exceptions", "airlock-deny-rules-exceptions", denyRules, false],
      ["override lowers SQL", "airlock-deny-rules-overrides", changed(denyRules, (c) => (c.spec.request.builtIn.overrides = [{ conditions: { ruleKeys: ["SQL"] }, settings: { level: "Standard", threatHandlingMode: "Block" } }])), true],
      ["override logs XSS only", "airlock-deny-rules-overrides", changed(denyRules, (c) => (c.spec.request.builtIn.overrides = [{ conditions: { ruleKeys: ["XSS"] }, settings: { level: "Strict", threatHandlingMode: "LogOnly" } }])), true],
      ["exception without ruleKeys", "airlock-deny-rules-exceptions", changed(denyRules, (c) => delete c.spec.request.builtIn.exceptions[0].ruleKeys), true],
      ["exception without path", "airlock-deny-rules-exceptions", changed(denyRules, (c) => delete c.spec.request.builtIn.exceptions[0].requestConditions.path), true],
      ["exception on every path", "airlock-deny-rules-exceptions", changed(denyRules, (c) => (c.spec.request.builtIn.exceptions[0].requestConditions.path = { matcher: { regex: "^(/.*)?$" } })), true],
      ["exception for EXPLOIT", "airlock-deny-rules-exceptions", changed(denyRules, (c) => (c.spec.request.builtIn.exceptions[0].ruleKeys = ["EXPLOIT"])), true],
      ["rendered HeaderRewrites", "airlock-required-security-headers", headerRewrites, false],
      ["HSTS not added", "airlock-required-security-headers", changed(headerRewrites, (c) => (c.spec.response.add.custom[0].headers = c.spec.response.add.custom[0].headers.filter((h: any) => h.name !== "Strict-Transport-Security"))), true],
      ["no custom headers at all", "airlock-required-security-headers", changed(headerRewrites, (c) => delete c.spec.response.add.custom), true],
    ];
    const results = denied(cases.map(([, rule, object]) => ({ conditions: conditionsOf(rule), object })));
    expect(Object.fromEntries(cases.map(([label], index) => [label, results[index]]))).toEqual(Object.fromEntries(cases.map(([label, , , expected]) => [label, expected])));
  });
});
