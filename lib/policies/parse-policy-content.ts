import { AppError, type FieldError } from "@/lib/errors/app-error";
import { findUnstorableText } from "@/lib/db/unstorable-text";
import { parsePolicyDocument, type PolicyDocument, type PolicyError, type PolicyKind } from "@/lib/policy-spec";
import { fieldPathOf } from "./policy-field-path";
import type { PolicyKindName } from "./policy-schemas";

/** The document kind each kind of stored policy holds. */
export const DOCUMENT_KIND: Record<PolicyKindName, PolicyKind> = {
  baseline: "BaselinePolicy",
  application: "ApplicationPolicy",
};

export function policyFieldErrors(root: string, errors: readonly PolicyError[]): FieldError[] {
  return errors.map((error) => ({
    path: fieldPathOf(root, error.path),
    message: error.message,
    ...(error.line !== undefined ? { line: error.line, column: error.column } : {}),
  }));
}

export function invalidPolicy(errors: FieldError[]): AppError {
  const count = errors.length === 1 ? "1 problem" : `${errors.length} problems`;
  return new AppError("VALIDATION_FAILED", `The policy has ${count}; nothing was saved.`, { fieldErrors: errors });
}

/**
 * A policy document from a request (an object, or YAML/JSON text) validated against the
 * schema of `kind`, with every error at once under `root` (e.g. `body.content`), and line
 * and column for text. Returns the document with its defaults filled in.
 */
export function parsePolicyContent(input: unknown, options: { root: string; kind?: PolicyKind }): PolicyDocument {
  const result = parsePolicyDocument(input, { kind: options.kind });
  if (!result.ok) throw invalidPolicy(policyFieldErrors(options.root, result.errors));
  // YAML text can spell a NUL (\0) the request's own text did not contain.
  const unstorable = findUnstorableText(result.policy, options.root);
  if (unstorable) throw invalidPolicy([unstorable]);
  return result.policy;
}
