import { stringify } from "yaml";
import { parsePolicyDocument, serializePolicyDocument, type PolicyDocument } from "@/lib/policy-spec";

// A version's document as its author wrote it: YAML text sent as it was (comments and key
// order kept), a JSON document as YAML in the order its keys were sent. The stored content
// is the validated document (defaults filled in, keys re-sorted by PostgreSQL's jsonb), so
// people read this text instead: the YAML view, the editor's YAML tab and the diff.

/** The text to keep for a document as sent (an object, or YAML/JSON text). */
export function authoredSource(input: unknown): string | null {
  if (typeof input === "string") {
    const trimmed = input.trimStart();
    if (!trimmed.startsWith("{")) return input;
    try {
      return toYaml(JSON.parse(trimmed));
    } catch {
      return input;
    }
  }
  return input !== null && typeof input === "object" ? toYaml(input) : null;
}

/**
 * What people read of a version: its authored text, or (versions saved before it was kept)
 * the stored document in the order of the policy format rather than jsonb's.
 */
export function versionSource(version: { sourceText?: string | null; content: unknown }): string {
  if (version.sourceText) return version.sourceText;
  const parsed = parsePolicyDocument(version.content);
  return serializePolicyDocument(parsed.ok ? parsed.policy : (version.content as PolicyDocument));
}

function toYaml(value: unknown): string {
  return stringify(value, { indent: 2, lineWidth: 0, aliasDuplicateObjects: false });
}
