// What the admission policies hold every policy resource to, derived once from
// the baseline so Kyverno and Gatekeeper enforce the same floors: per deny
// family the lowest level and whether log-only is allowed, the response headers
// that must be present, and which exceptions are forbidden outright.

import { DENY_FAMILIES, DENY_LEVELS, type BaselinePolicy } from "@/lib/policy-spec";
import { AIRLOCK_DENY_RULE_KEYS, AIRLOCK_KEYS_BY_FAMILY, AIRLOCK_LEVEL, AIRLOCK_LEVELS, familiesOfAirlockKey, type AirlockDenyRuleKey, type AirlockLevel } from "./airlock-deny-rule-keys";

export type DenyFamily = (typeof DENY_FAMILIES)[number];
export type DenyLevel = (typeof DENY_LEVELS)[number];

export interface FamilyFloor {
  family: DenyFamily;
  minLevel: DenyLevel;
  /** Levels at or above the floor, weakest first. */
  allowedLevels: DenyLevel[];
  /** true when the baseline says block: log-only is a weakening. */
  requireBlock: boolean;
}

export interface BaselineRequirements {
  baselineName: string;
  families: FamilyFloor[];
  /** Response header names (as the bundle writes them) the baseline sets. */
  requiredHeaders: string[];
  /** Families no exception may name (exceptionPolicy.nonExemptFamilies). */
  nonExemptFamilies: DenyFamily[];
}

export function baselineRequirements(baseline: BaselinePolicy): BaselineRequirements {
  const families = DENY_FAMILIES.map((family) => {
    const rule = baseline.denyRules[family];
    return {
      family,
      minLevel: rule.level,
      allowedLevels: DENY_LEVELS.slice(DENY_LEVELS.indexOf(rule.level)),
      requireBlock: rule.mode === "block",
    };
  });
  const headers = baseline.securityHeaders;
  const requiredHeaders = [
    headers.hsts.enabled ? "Strict-Transport-Security" : null,
    headers.frameOptions !== "off" ? "X-Frame-Options" : null,
    headers.contentTypeOptions !== "off" ? "X-Content-Type-Options" : null,
    headers.referrerPolicy !== "off" ? "Referrer-Policy" : null,
    Object.keys(headers.permissionsPolicy).length > 0 ? "Permissions-Policy" : null,
  ].filter((name): name is string => name !== null);
  return {
    baselineName: baseline.metadata.name,
    families,
    requiredHeaders,
    nonExemptFamilies: [...baseline.exceptionPolicy.nonExemptFamilies],
  };
}

export interface AirlockKeyFloor {
  key: AirlockDenyRuleKey;
  minLevel: AirlockLevel;
  /** Levels at or above the floor, weakest first. */
  allowedLevels: AirlockLevel[];
  requireBlock: boolean;
}

/**
 * The baseline's floors in Airlock's terms. A rule key shared by several
 * families takes the highest of their floors; the global DenyRules settings
 * also govern keys no family maps to (LDAP, IDOR), so they must meet the
 * highest floor of all.
 */
export function airlockFloors(requirements: BaselineRequirements): {
  keys: AirlockKeyFloor[];
  globalMinLevel: AirlockLevel;
  requireBlock: boolean;
  /** Rule keys of the non-exempt families: no exception may name them. */
  nonExemptKeys: AirlockDenyRuleKey[];
} {
  const byFamily = new Map(requirements.families.map((floor) => [floor.family, floor]));
  const keys = AIRLOCK_DENY_RULE_KEYS.flatMap((key): AirlockKeyFloor[] => {
    const floors = familiesOfAirlockKey(key).map((family) => byFamily.get(family)!);
    if (floors.length === 0) return [];
    const minIndex = Math.max(...floors.map((floor) => AIRLOCK_LEVELS.indexOf(AIRLOCK_LEVEL[floor.minLevel])));
    return [{ key, minLevel: AIRLOCK_LEVELS[minIndex]!, allowedLevels: AIRLOCK_LEVELS.slice(minIndex), requireBlock: floors.some((floor) => floor.requireBlock) }];
  });
  const globalIndex = Math.max(...keys.map((floor) => AIRLOCK_LEVELS.indexOf(floor.minLevel)));
  const nonExemptKeys = [...new Set(requirements.nonExemptFamilies.flatMap((family) => AIRLOCK_KEYS_BY_FAMILY[family]))].sort();
  return { keys, globalMinLevel: AIRLOCK_LEVELS[globalIndex]!, requireBlock: keys.some((floor) => floor.requireBlock), nonExemptKeys };
}
