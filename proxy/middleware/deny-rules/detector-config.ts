// The bundle's deny-rule settings → the detection engine's config, and the
// mapping between the two vocabularies:
//
// * Families: the engine has two the policy spec does not name. `generic`
//   (Node.js/template injection, prototype pollution, XXE: code reaching an
//   interpreter) follows the policy's `rce` setting and its exceptions;
//   `session` (cookie-setting script, session fixation) follows `xss`.
// * Rule ids: the engine's "sqli.union-select" is written "sqli-union-select"
//   in a policy (the spec's `<family>-<name>` form).

import { DENY_FAMILIES, type Bundle } from "@/lib/policy-spec";
import { FAMILIES, listRules, type DetectorConfig, type Family } from "../../detection/index.js";

type PolicyFamily = (typeof DENY_FAMILIES)[number];

export const ENGINE_FAMILY_POLICY: Readonly<Record<Family, PolicyFamily>> = {
  sqli: "sqli",
  xss: "xss",
  rce: "rce",
  lfi: "lfi",
  rfi: "rfi",
  java: "java",
  php: "php",
  ssrf: "ssrf",
  protocol: "protocol",
  scanner: "scanner",
  generic: "rce",
  session: "xss",
};

export function detectorConfigFor(denyRules: Bundle["denyRules"]): DetectorConfig {
  const families: DetectorConfig["families"] = {};
  for (const family of FAMILIES) {
    const setting = denyRules[ENGINE_FAMILY_POLICY[family]];
    families[family] = { level: setting.level, mode: setting.mode };
  }
  return { families, exceptions: [] };
}

let byPolicyId: Map<string, { id: string; family: Family }> | null = null;

/** "sqli-union-select" → the engine rule, or undefined when the engine has no such rule. */
export function engineRuleForPolicyId(policyRuleId: string): { id: string; family: Family } | undefined {
  if (byPolicyId === null) {
    byPolicyId = new Map();
    for (const rule of listRules()) byPolicyId.set(policyRuleIdOf(rule.id), { id: rule.id, family: rule.family });
  }
  return byPolicyId.get(policyRuleId);
}

export function policyRuleIdOf(engineRuleId: string): string {
  const dot = engineRuleId.indexOf(".");
  return dot < 0 ? engineRuleId : `${engineRuleId.slice(0, dot)}-${engineRuleId.slice(dot + 1)}`;
}
