// What the admission policies hold every policy resource to, derived once from
// the baseline so Kyverno and Gatekeeper enforce the same floors: per deny
// family the lowest level and whether log-only is allowed, the response
// headers that must be present, which exceptions are forbidden outright, the
// request limits no policy may loosen, and the canary paths that tell a
// catch-all exception matcher from a real one.

import { DENY_FAMILIES, DENY_LEVELS, type BaselinePolicy, type DenyFamily, type DenyLevel } from "@/lib/policy-spec";
import { REQUEST_LIMIT_NAMES, type RequestLimitName } from "@/lib/policy-spec/sections/request-limits";
import {
  AIRLOCK_DENY_RULE_KEYS,
  AIRLOCK_KEYS_BY_FAMILY,
  AIRLOCK_LEVEL,
  AIRLOCK_LEVELS,
  familiesOfAirlockKey,
  type AirlockDenyRuleKey,
  type AirlockLevel,
} from "./airlock-deny-rule-keys";

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
  /** The baseline's request limits: no policy may allow more. */
  limits: Record<RequestLimitName, number>;
  /** Whether what exceeds an inspection cap must be refused (the baseline's limits.uninspected is "refuse"). */
  refuseUninspected: boolean;
}

/**
 * Paths no legitimate exception is about. An exception matcher that matches any of them
 * matches (nearly) everything: "/", a first segment nobody uses, and a file below it. This
 * catches every shape of catch-all — an empty or "/" prefix, `^.*$`, `^/.*`, a leading
 * parameter segment (`^/[^/]+…`), `contains: "/"` — from what the matcher does, not from
 * a list of spellings.
 */
export const CANARY_PATHS = ["/", "/rampart-canary-4f1c", "/rampart-canary-4f1c/probe.json"] as const;

/** The policy resources the admission policies check (group, kind and the RBAC resource). */
export const GUARDED_KINDS = [
  { group: "rampart.dev", version: "v1alpha1", kind: "RampartPolicy", resource: "rampartpolicies" },
  { group: "microgateway.airlock.com", version: "v1alpha1", kind: "DenyRules", resource: "denyrules" },
  { group: "microgateway.airlock.com", version: "v1alpha1", kind: "HeaderRewrites", resource: "headerrewrites" },
  { group: "microgateway.airlock.com", version: "v1alpha1", kind: "Limits", resource: "limits" },
  { group: "microgateway.airlock.com", version: "v1alpha1", kind: "Parser", resource: "parsers" },
  { group: "microgateway.airlock.com", version: "v1alpha1", kind: "ContentSecurityPolicy", resource: "contentsecuritypolicies" },
] as const;

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
    limits: Object.fromEntries(REQUEST_LIMIT_NAMES.map((name) => [name, baseline.limits[name]])) as Record<RequestLimitName, number>,
    refuseUninspected: baseline.limits.uninspected === "refuse",
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
 * The baseline's floors in Airlock's terms, for every rule key. A key shared by several
 * families takes the highest of their floors; a key no family maps to (LDAP, IDOR) is
 * governed by the global settings, which must meet the highest floor of all, so it gets
 * that floor too — an override may not lower it either.
 */
export function airlockFloors(requirements: BaselineRequirements): {
  keys: AirlockKeyFloor[];
  globalMinLevel: AirlockLevel;
  requireBlock: boolean;
  /** Levels below the global floor: an override without rule keys may not set them. */
  levelsBelowGlobal: AirlockLevel[];
  /** Rule keys of the non-exempt families: no exception may name them. */
  nonExemptKeys: AirlockDenyRuleKey[];
} {
  const byFamily = new Map(requirements.families.map((floor) => [floor.family, floor]));
  const mapped = AIRLOCK_DENY_RULE_KEYS.flatMap((key) => {
    const floors = familiesOfAirlockKey(key).map((family) => byFamily.get(family)!);
    if (floors.length === 0) return [];
    const minIndex = Math.max(...floors.map((floor) => AIRLOCK_LEVELS.indexOf(AIRLOCK_LEVEL[floor.minLevel])));
    return [{ key, minIndex, requireBlock: floors.some((floor) => floor.requireBlock) }];
  });
  const globalIndex = Math.max(...mapped.map((floor) => floor.minIndex));
  const requireBlock = mapped.some((floor) => floor.requireBlock);
  const keys = AIRLOCK_DENY_RULE_KEYS.map((key): AirlockKeyFloor => {
    const floor = mapped.find((entry) => entry.key === key) ?? { minIndex: globalIndex, requireBlock };
    return { key, minLevel: AIRLOCK_LEVELS[floor.minIndex]!, allowedLevels: AIRLOCK_LEVELS.slice(floor.minIndex), requireBlock: floor.requireBlock };
  });
  const nonExemptKeys = [...new Set(requirements.nonExemptFamilies.flatMap((family) => AIRLOCK_KEYS_BY_FAMILY[family]))].sort();
  return { keys, globalMinLevel: AIRLOCK_LEVELS[globalIndex]!, requireBlock, levelsBelowGlobal: AIRLOCK_LEVELS.slice(0, globalIndex), nonExemptKeys };
}

/** Airlock Limits fields that carry a Rampart limit: none may exceed the baseline's. */
export const AIRLOCK_LIMIT_FIELDS: ReadonlyArray<{ section: "general" | "json" | "parameter" | "multipart"; field: string; limit: RequestLimitName }> = [
  { section: "general", field: "bodySize", limit: "maxBodyBytes" },
  { section: "general", field: "pathLength", limit: "maxUrlBytes" },
  { section: "json", field: "bodySize", limit: "maxJsonBytes" },
  { section: "json", field: "nestingDepth", limit: "maxJsonDepth" },
  { section: "parameter", field: "bodySize", limit: "maxBodyBytes" },
  { section: "parameter", field: "count", limit: "maxParameterCount" },
  { section: "parameter", field: "valueLength", limit: "maxParameterBytes" },
  { section: "multipart", field: "bodySize", limit: "maxBodyBytes" },
];
