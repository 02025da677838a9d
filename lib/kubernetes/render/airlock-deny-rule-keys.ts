// Rampart deny families → Airlock Microgateway built-in deny rule keys
// (DenyRules spec.request.builtIn ruleKeys). Airlock groups attacks
// differently: one Rampart family can need several keys, and some keys serve
// several families (EXPLOIT covers path traversal, remote file inclusion and
// exploit payloads such as JNDI lookups). A key shared by families always gets
// the strictest of their settings, so the export never enforces less than
// Rampart would. docs/airlock-mapping.md explains the approximations.

import type { DenyFamily, DenyLevel } from "@/lib/policy-spec";

export const AIRLOCK_DENY_RULE_KEYS = [
  "ENCODING",
  "EXPLOIT",
  "HPP",
  "HTML",
  "IDOR",
  "LDAP",
  "NOSQL",
  "OGNL",
  "PHP",
  "PROTOCOL",
  "SANITY",
  "SCANNING",
  "SQL",
  "TEMPLATE",
  "UNIXCMD",
  "WINCMD",
  "XSS",
  "SSRF",
  "BOT",
] as const;
export type AirlockDenyRuleKey = (typeof AIRLOCK_DENY_RULE_KEYS)[number];

export const AIRLOCK_KEYS_BY_FAMILY: Record<DenyFamily, AirlockDenyRuleKey[]> = {
  sqli: ["SQL", "NOSQL"],
  xss: ["XSS", "HTML"],
  rce: ["UNIXCMD", "WINCMD"],
  lfi: ["EXPLOIT"],
  rfi: ["EXPLOIT"],
  java: ["EXPLOIT", "OGNL", "TEMPLATE"],
  php: ["PHP"],
  ssrf: ["SSRF"],
  protocol: ["PROTOCOL", "SANITY", "ENCODING", "HPP"],
  scanner: ["SCANNING", "BOT"],
};

/** Airlock's levels, weakest first; Unfiltered has no Rampart counterpart and is never rendered. */
export const AIRLOCK_LEVELS = ["Unfiltered", "Basic", "Standard", "Strict"] as const;
export type AirlockLevel = (typeof AIRLOCK_LEVELS)[number];
/** What Airlock applies where DenyRules leave the level out (the CRD's default). */
export const AIRLOCK_DEFAULT_LEVEL: AirlockLevel = "Standard";

export const AIRLOCK_LEVEL: Record<DenyLevel, AirlockLevel> = { basic: "Basic", standard: "Standard", strict: "Strict" };

/** Families whose settings decide a key. */
export function familiesOfAirlockKey(key: AirlockDenyRuleKey): DenyFamily[] {
  return (Object.keys(AIRLOCK_KEYS_BY_FAMILY) as DenyFamily[]).filter((family) => AIRLOCK_KEYS_BY_FAMILY[family].includes(key));
}
