// Deny-rule families and virtual patches. Levels and modes are ordered so the
// merge and the diff can tell tightening from loosening by comparing positions.

import { z } from "zod";
import { enforcementModeSchema } from "./policy-fields";

export const DENY_FAMILIES = ["sqli", "xss", "rce", "lfi", "rfi", "java", "php", "ssrf", "protocol", "scanner"] as const;
export type DenyFamily = (typeof DENY_FAMILIES)[number];
export const denyFamilySchema = z.enum(DENY_FAMILIES);

/** What a reviewer reads next to the family id. */
export const DENY_FAMILY_LABELS: Record<DenyFamily, string> = {
  sqli: "SQL injection",
  xss: "cross-site scripting",
  rce: "command injection",
  lfi: "path traversal",
  rfi: "remote file inclusion",
  java: "Java attacks including JNDI/Log4Shell",
  php: "PHP injection",
  ssrf: "server-side request forgery",
  protocol: "protocol attacks (request smuggling, malformed headers)",
  scanner: "scanner and bot detection",
};

/** Ordered weakest first. */
export const DENY_LEVELS = ["basic", "standard", "strict"] as const;
export type DenyLevel = (typeof DENY_LEVELS)[number];
export const denyLevelSchema = z.enum(DENY_LEVELS);

function perFamily<T extends z.ZodType>(make: () => T): Record<DenyFamily, T> {
  return Object.fromEntries(DENY_FAMILIES.map((family) => [family, make()])) as Record<DenyFamily, T>;
}

export const baselineDenyRuleSchema = z.strictObject({
  level: denyLevelSchema.default("standard"),
  mode: enforcementModeSchema.default("block"),
});

/** Every family is on at standard/block unless the baseline says otherwise: the safe default. */
export const baselineDenyRulesSchema = z.strictObject(perFamily(() => baselineDenyRuleSchema.prefault({})));

export const applicationDenyRuleSchema = z.strictObject({
  level: denyLevelSchema.optional(),
  mode: enforcementModeSchema.optional(),
});

export const applicationDenyRulesSchema = z.strictObject(perFamily(() => applicationDenyRuleSchema.optional()));

/** Virtual patches the proxy knows how to enforce; an unknown name is refused, never ignored. */
export const VIRTUAL_PATCHES = {
  log4shell: {
    title: "Log4Shell (JNDI lookup injection)",
    cves: ["CVE-2021-44228", "CVE-2021-45046"],
  },
} as const;
export type VirtualPatchId = keyof typeof VIRTUAL_PATCHES;
export const VIRTUAL_PATCH_IDS = Object.keys(VIRTUAL_PATCHES) as VirtualPatchId[];

/** Ordered weakest first; "off" exists only so a baseline can say so explicitly. */
export const VIRTUAL_PATCH_MODES = ["off", "log-only", "block"] as const;
export const virtualPatchModeSchema = z.enum(VIRTUAL_PATCH_MODES);

export const baselineVirtualPatchesSchema = z.strictObject({
  log4shell: virtualPatchModeSchema.default("block"),
});

export const applicationVirtualPatchesSchema = z.strictObject({
  log4shell: virtualPatchModeSchema.optional(),
});
