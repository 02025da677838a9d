import { parse as parseYaml } from "yaml";
import type { PolicyKindName } from "@/lib/policies/policy-schemas";
import { parsePolicyDocument, serializePolicyDocument, type PolicyDocument } from "@/lib/policy-spec";
import type { Document } from "./document-edit";
import { fromPolicyErrors, type EditorError } from "./policy-errors";

// A draft's document as the editor holds it: the form's data or the YAML view's text,
// both checked with the schema the API uses.

export type EditorView = "form" | "yaml";
const DOCUMENT_KIND = { baseline: "BaselinePolicy", application: "ApplicationPolicy" } as const;

export function validateDocument(document: Document, kind: PolicyKindName): EditorError[] {
  const parsed = parsePolicyDocument(document, { kind: DOCUMENT_KIND[kind] });
  return parsed.ok ? [] : fromPolicyErrors(parsed.errors);
}

export function validateText(text: string, kind: PolicyKindName): EditorError[] {
  const parsed = parsePolicyDocument(text, { kind: DOCUMENT_KIND[kind], format: "yaml" });
  return parsed.ok ? [] : fromPolicyErrors(parsed.errors);
}

/** The data in YAML text, or undefined when it is not YAML at all. */
export function readYaml(text: string): Document | undefined {
  try {
    const data = parseYaml(text) as unknown;
    return data !== null && typeof data === "object" && !Array.isArray(data) ? (data as Document) : {};
  } catch {
    return undefined;
  }
}

/** A version's document in its author's order (from its authored text), or its stored content. */
export function authoredDocument(version: { source: string; content: Document }): Document {
  return readYaml(version.source) ?? version.content;
}

export function toYaml(document: Document): string {
  return serializePolicyDocument(document as PolicyDocument);
}

/** The same problem found twice (by the browser and by the API) is listed once. */
export function dedupeErrors(errors: EditorError[]): EditorError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const id = `${error.key}\n${error.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

export function problemCount(count: number): string {
  return count === 1 ? "1 problem" : `${count} problems`;
}
