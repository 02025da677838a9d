import { AppError } from "@/lib/errors/app-error";
import { parsePolicyDocument, type ApplicationPolicy, type BaselinePolicy } from "@/lib/policy-spec";
import { policyFieldErrors } from "./parse-policy-content";

// Stored content was valid when it was saved. Parsing it again gives the typed document
// and catches the one way it can stop being valid: a later, stricter schema. That is the
// caller's conflict to resolve (restore or edit), not a crash.

type StoredVersion = { number: number; content: unknown };

export function storedBaseline(version: StoredVersion): BaselinePolicy {
  const parsed = parsePolicyDocument(version.content, { kind: "BaselinePolicy" });
  if (!parsed.ok) throw noLongerValid(version, "baseline", parsed.errors);
  return parsed.policy;
}

export function storedApplicationPolicy(version: StoredVersion): ApplicationPolicy {
  const parsed = parsePolicyDocument(version.content, { kind: "ApplicationPolicy" });
  if (!parsed.ok) throw noLongerValid(version, "application policy", parsed.errors);
  return parsed.policy;
}

function noLongerValid(version: StoredVersion, what: string, errors: Parameters<typeof policyFieldErrors>[1]) {
  return new AppError("CONFLICT", `Version ${version.number} of the ${what} no longer passes validation; edit it in a new draft.`, {
    fieldErrors: policyFieldErrors("content", errors),
  });
}
