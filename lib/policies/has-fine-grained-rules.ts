import type { ApplicationPolicy } from "@/lib/policy-spec";

// "Fine-grained policy" in the rule that internet-facing applications need one: an
// application policy that protects something of its own. Metadata says nothing, and
// exceptions only loosen, so a document with nothing else is no fine-grained policy.
const NOT_RULES = new Set(["apiVersion", "kind", "metadata", "exceptions"]);

export function hasFineGrainedRules(document: ApplicationPolicy | null): boolean {
  if (!document) return false;
  return Object.entries(document).some(([key, value]) => !NOT_RULES.has(key) && !isEmptySetting(value));
}

function isEmptySetting(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.values(value).every(isEmptySetting);
  return false;
}
