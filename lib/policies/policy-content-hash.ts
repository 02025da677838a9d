import { canonicalJson, sha256Hex } from "@/lib/policy-spec";

/** `sha256:<hex>` of a document's canonical JSON: equal content, equal hash, whatever the key order. */
export function policyContentHash(content: unknown): string {
  return `sha256:${sha256Hex(canonicalJson(content))}`;
}
