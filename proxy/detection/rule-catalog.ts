// Every rule of every family, in evaluation order, plus the request-level
// checks. The catalog is static; compileDetector selects from it.
import { K, type Rule } from "./subject.js";
import type { Family, Level } from "./types.js";
import { GENERIC_RULES } from "./rules/generic.js";
import { JAVA_RULES } from "./rules/java.js";
import { LFI_RULES } from "./rules/lfi.js";
import { PHP_RULES } from "./rules/php.js";
import { INVALID_HEADER_CHECK, PROTOCOL_RULES, SMUGGLING_CHECK } from "./rules/protocol.js";
import { RCE_RULES } from "./rules/rce.js";
import { RFI_RULES } from "./rules/rfi.js";
import { SCANNER_HEADER_CHECK, SCANNER_RULES } from "./rules/scanner.js";
import { SESSION_RULES } from "./rules/session.js";
import { SQLI_RULES } from "./rules/sqli.js";
import { SSRF_RULES } from "./rules/ssrf.js";
import { XSS_RULES } from "./rules/xss.js";

/** Families whose payloads are commonly base64-wrapped; their value rules also see base64-decoded text. */
const BASE64_FAMILIES = new Set<Family>(["generic", "java", "php", "rce"]);

function withBase64(rule: Rule): Rule {
  return BASE64_FAMILIES.has(rule.family) && (rule.targets & K.ARG_VALUE) !== 0 ? { ...rule, targets: rule.targets | K.DECODED_B64 } : rule;
}

export const ALL_RULES: readonly Rule[] = [
  ...PROTOCOL_RULES,
  ...JAVA_RULES,
  ...SQLI_RULES,
  ...XSS_RULES,
  ...RCE_RULES,
  ...LFI_RULES,
  ...RFI_RULES,
  ...PHP_RULES,
  ...SSRF_RULES,
  ...GENERIC_RULES,
  ...SESSION_RULES,
  ...SCANNER_RULES,
].map(withBase64);

export interface RequestCheckInfo {
  id: string;
  family: Family;
  level: Level;
  description: string;
}

/** Checks evaluated once per request rather than per value. */
export const REQUEST_CHECKS: readonly RequestCheckInfo[] = [
  { ...SMUGGLING_CHECK, family: "protocol" },
  { ...INVALID_HEADER_CHECK, family: "protocol" },
  { ...SCANNER_HEADER_CHECK, family: "scanner" },
];

export interface RuleInfo {
  id: string;
  family: Family;
  level: Level;
  description: string;
}

/** Every rule id with its family, minimum level and description (for docs, metrics and exception validation). */
export function listRules(): RuleInfo[] {
  return [
    ...ALL_RULES.map(({ id, family, level, description }) => ({ id, family, level, description })),
    ...REQUEST_CHECKS.map(({ id, family, level, description }) => ({ id, family, level, description })),
  ];
}
