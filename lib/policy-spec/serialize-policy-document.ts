// Policy documents back to text, for export and for keeping policies in Git.
// The output parses back to a deep-equal document (the round-trip the import
// relies on), and keeps the schema's field order so diffs in Git stay small.

import { stringify } from "yaml";
import type { PolicyDocument } from "./policy-document-schema";

export interface SerializePolicyOptions {
  format?: "yaml" | "json";
  /** Adds a yaml-language-server modeline so editors validate the file against the JSON Schema. */
  schemaUrl?: string;
}

export function serializePolicyDocument(policy: PolicyDocument, options: SerializePolicyOptions = {}): string {
  if (options.format === "json") return `${JSON.stringify(policy, null, 2)}\n`;
  const body = stringify(policy, {
    indent: 2,
    lineWidth: 0, // folding long lines would rewrite justifications on every export
    aliasDuplicateObjects: false, // anchors would hide repeated values from a reader
  });
  return options.schemaUrl ? `# yaml-language-server: $schema=${options.schemaUrl}\n${body}` : body;
}
