// Content profiles (issue #21) in the Airlock export. Airlock knows no
// markdown, HTML or text profile, so what it can carry is the relaxation
// itself: per content field (by JSON path, parameter or header name) and
// operation, an exception for the rule groups of the relaxable families.
// Groups that also hold what never relaxes stay on — XSS/HTML (the profile's
// own check has no Airlock counterpart), EXPLOIT, OGNL and TEMPLATE (Log4Shell,
// expression and template injection) — so Airlock blocks more than Rampart on
// content fields, never less. The rest is listed as unmapped.

import { listOperationFields, unescapePointerToken, type Bundle, type DenyFamily, type OperationField, type PathMatcher } from "@/lib/policy-spec";
import { AIRLOCK_KEYS_BY_FAMILY, type AirlockDenyRuleKey } from "./airlock-deny-rule-keys";

const NEVER_EXCEPTED = new Set<AirlockDenyRuleKey>(["XSS", "HTML", "EXPLOIT", "OGNL", "TEMPLATE"]);

export function renderContentExceptions(bundle: Bundle, stringMatcher: (matcher: PathMatcher) => Record<string, unknown>, unmapped: string[]) {
  if (bundle.openapi === null || bundle.openapi.mode !== "block" || bundle.contentProfiles.allowRelax.length === 0) return [];
  const families = bundle.contentProfiles.allowRelax as DenyFamily[];
  const ruleKeys = [...new Set(families.flatMap((family) => AIRLOCK_KEYS_BY_FAMILY[family]))].filter((key) => !NEVER_EXCEPTED.has(key)).sort();
  const kept = [...new Set(families.flatMap((family) => AIRLOCK_KEYS_BY_FAMILY[family]))].filter((key) => NEVER_EXCEPTED.has(key)).sort();
  const exceptions: Array<Record<string, unknown>> = [];
  const operations = listOperationFields(bundle.openapi);
  let fields = 0;
  operations.forEach((operation, index) => {
    const path = bundle.openapi!.operations[index]!.path;
    for (const field of operation.fields) {
      if (field.class.kind !== "content") continue;
      fields++;
      const blockedData = blockedDataOf(field);
      if (blockedData === null) {
        unmapped.push(
          `Content field ${field.in} ${field.name} of ${operation.method} ${operation.template} (${field.class.profile} profile): Airlock cannot except a ${field.in} value, so it keeps every rule group there.`,
        );
        continue;
      }
      if (ruleKeys.length === 0) continue;
      exceptions.push({ blockedData, requestConditions: { path: { matcher: stringMatcher(path) }, method: [operation.method] }, ruleKeys });
    }
  });
  if (fields > 0) {
    unmapped.push(
      `Content profiles: ${fields} content field(s) are excepted from ${ruleKeys.join(", ") || "no rule group"} by JSON path, parameter or header; Airlock has no markdown/html/text profile, so ${kept.length > 0 ? `${kept.join(", ")} stay on there (they also carry XSS, Log4Shell, expression and template injection)` : "its XSS and exploit groups stay on there"} and Airlock blocks more code-carrying posts than Rampart.`,
    );
  }
  return exceptions;
}

function blockedDataOf(field: OperationField): Record<string, unknown> | null {
  if (field.in === "body" && field.mediaType !== null && /json$/.test(field.mediaType)) return { json: { jsonPath: jsonPathOf(field.name) } };
  if (field.in === "query" || (field.in === "body" && field.mediaType === "application/x-www-form-urlencoded")) {
    return { parameter: { name: { matcher: { exact: field.in === "body" ? field.name.slice(1) : field.name, ignoreCase: false } } } };
  }
  if (field.in === "header") return { header: { name: { matcher: { exact: field.name } } } };
  return null;
}

/** A field pointer ("/comments/*\/body") → JSONPath in bracket notation, array items as [*]. */
function jsonPathOf(pointer: string): string {
  const segments = pointer.slice(1).split("/");
  return `$${segments.map((segment) => (segment === "*" ? "[*]" : `['${unescapePointerToken(segment).replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`)).join("")}`;
}
