import { BoundedMemo } from "@/lib/delivery/bounded-memo";
import type { PolicyDocument } from "@/lib/policy-spec";
import type { PolicyKindName } from "./policy-schemas";
import { storedApplicationPolicy, storedBaseline } from "./stored-policy-document";

// Parsing a stored document again (zod, defaults, canonical checks) was most of the CPU of
// the approval queue, which parses every entry, the version in force and the baselines on
// each call. A version's content changes only while it is a draft, and every change bumps
// its row version, so (id, row version) names the content: such parses are kept.
const parsed = new BoundedMemo<PolicyDocument>(2_000);

/** The document of this version if this process has parsed it already (callers then need not read its content). */
export function memoisedStoredDocument(kind: PolicyKindName, version: { id: string; version: number }): PolicyDocument | undefined {
  return parsed.get(`${kind}:${version.id}:${version.version}`);
}

/** The typed document of a stored version of a policy of this kind (treat it as read-only: it may be shared). */
export function storedDocumentOf(kind: PolicyKindName, version: { number: number; content: unknown; id?: string; version?: number }): PolicyDocument {
  const parse = () => (kind === "baseline" ? storedBaseline(version) : storedApplicationPolicy(version));
  if (version.id === undefined || version.version === undefined) return parse();
  return parsed.getOrCreate(`${kind}:${version.id}:${version.version}`, parse);
}
