// The shape every renderer returns: a plain object ready to be serialised to
// YAML, applied with server-side apply or committed to Git. Renderers are pure
// (no I/O, no clock), so the same inputs always give the same resources and a
// dry-run diff or drift check compares like with like.

export const FIELD_MANAGER = "rampart";
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY = "rampart";
export const RAMPART_GROUP = "rampart.dev";

export interface ResourceMetadata {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface KubernetesResource {
  apiVersion: string;
  kind: string;
  metadata: ResourceMetadata;
  [field: string]: unknown;
}

/** Labels every Rampart resource carries, so a cluster can be asked for "everything Rampart manages". */
export function rampartLabels(extra: Record<string, string> = {}): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY, ...extra };
}

/**
 * Kubernetes object names are DNS-1123 subdomains (at most 253 characters) and
 * label values at most 63; application slugs already fit, but suffixes can
 * push a name over, so long names are cut and given a stable hash suffix
 * rather than failing at apply time.
 */
export function resourceName(...parts: string[]): string {
  const name = parts
    .filter((part) => part.length > 0)
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  if (name.length <= 63) return name;
  return `${name.slice(0, 54).replace(/-$/, "")}-${shortHash(name)}`;
}

/** FNV-1a, 32 bits, as 8 hex digits: stable across runs and runtimes, not a security measure. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
