// The bundle's deny-rule settings → the detection engine's config, and the
// mapping between the two vocabularies:
//
// * Families: the engine has two the policy spec does not name. `generic`
//   (Node.js/template injection, prototype pollution, XXE: code reaching an
//   interpreter) follows the policy's `rce` setting and its exceptions;
//   `session` (cookie-setting script, session fixation) follows `xss`.
// * Rule ids are the same on both sides ("sqli.union-select"): the policy spec
//   lists the ones an exception may name (lib/policy-spec deny-rule-catalog.ts),
//   and detector-config.test.ts keeps that list equal to the engine's rules.

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
  return { families };
}

let byId: Map<string, { id: string; family: Family }> | null = null;

/** The engine rule an exception names, or undefined when the engine has no such rule. */
export function engineRuleFor(ruleId: string): { id: string; family: Family } | undefined {
  if (byId === null) {
    byId = new Map();
    for (const rule of listRules()) byId.set(rule.id, { id: rule.id, family: rule.family });
  }
  return byId.get(ruleId);
}
