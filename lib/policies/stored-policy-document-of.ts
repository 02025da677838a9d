import type { PolicyDocument } from "@/lib/policy-spec";
import type { PolicyKindName } from "./policy-schemas";
import { storedApplicationPolicy, storedBaseline } from "./stored-policy-document";

/** The typed document of a stored version of a policy of this kind. */
export function storedDocumentOf(kind: PolicyKindName, version: { number: number; content: unknown }): PolicyDocument {
  return kind === "baseline" ? storedBaseline(version) : storedApplicationPolicy(version);
}
