import type { FieldError } from "@/lib/errors/app-error";
import { documentPathOf, jsonPathSegments } from "@/lib/policies/policy-field-path";
import type { PolicyError } from "@/lib/policy-spec";

// One shape for the errors the editor shows, whether the schema found them in the browser
// (JSON paths: `$.denyRules.sqli.level`) or the API did (`body.content.denyRules.sqli.level`):
// the document path as a key, the message, and where the text came from, line and column.

/** Messages by document path key ("denyRules.sqli.level"), as the form fields read them. */
export type FieldErrors = ReadonlyMap<string, string[]>;

export type EditorError = { key: string; path: string[]; message: string; line?: number; column?: number };

export function fromPolicyErrors(errors: readonly PolicyError[]): EditorError[] {
  return errors.map((error) => {
    const path = jsonPathSegments(error.path).map(String);
    return { key: path.join("."), path, message: error.message, line: error.line, column: error.column };
  });
}

/** API field errors about the document; errors about other parts of the request are kept with an empty path. */
export function fromFieldErrors(errors: readonly FieldError[]): EditorError[] {
  return errors.map((error) => {
    const path = documentPathOf("body.content", error.path) ?? documentPathOf("content", error.path) ?? [];
    return { key: path.join("."), path, message: error.message, line: error.line, column: error.column };
  });
}

export function byKey(errors: readonly EditorError[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const error of errors) map.set(error.key, [...(map.get(error.key) ?? []), error.message]);
  return map;
}
