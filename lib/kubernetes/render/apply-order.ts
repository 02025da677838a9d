// The one order in which Rampart's resources reach a cluster, whether applied
// by the portal or committed for GitOps: definitions first (CRDs, then
// Gatekeeper ConstraintTemplates, which make Gatekeeper define the constraint
// kinds), namespaces, RBAC roles before their bindings, ConfigMaps and Secrets
// (an OpenAPI document, a JWKS) before what references them, the admission
// policies that guard the baseline before the policy resources they check,
// then the rest in the renderers' order. It also answers
// which definition in a batch defines a kind, so a plan and an apply treat a
// template-defined kind like a CRD-defined one.

export interface OrderedResource {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  [field: string]: unknown;
}

export const GATEKEEPER_TEMPLATES_GROUP = "templates.gatekeeper.sh";
export const GATEKEEPER_CONSTRAINTS_GROUP = "constraints.gatekeeper.sh";

/** The API group of an apiVersion ("" for the core group). */
export const groupOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "");
const versionOf = (apiVersion: string) => (apiVersion.includes("/") ? apiVersion.slice(apiVersion.indexOf("/") + 1) : apiVersion);

/** Wave 1 of a GitOps tree: what must be established before anything else can be applied. */
export function isDefinition(resource: Pick<OrderedResource, "apiVersion" | "kind">): boolean {
  const group = groupOf(resource.apiVersion);
  return (
    (group === "apiextensions.k8s.io" && resource.kind === "CustomResourceDefinition") ||
    (group === GATEKEEPER_TEMPLATES_GROUP && resource.kind === "ConstraintTemplate")
  );
}

export function applyRankOf(resource: Pick<OrderedResource, "apiVersion" | "kind">): number {
  const group = groupOf(resource.apiVersion);
  const { kind } = resource;
  if (group === "apiextensions.k8s.io" && kind === "CustomResourceDefinition") return 0;
  if (group === GATEKEEPER_TEMPLATES_GROUP && kind === "ConstraintTemplate") return 1;
  if (group === "" && kind === "Namespace") return 2;
  if ((group === "" && kind === "ServiceAccount") || (group === "rbac.authorization.k8s.io" && (kind === "ClusterRole" || kind === "Role"))) return 3;
  if (group === "rbac.authorization.k8s.io" && (kind === "ClusterRoleBinding" || kind === "RoleBinding")) return 4;
  if (group === "" && (kind === "ConfigMap" || kind === "Secret")) return 5;
  if (group === "kyverno.io" || group === "admissionregistration.k8s.io" || group === GATEKEEPER_CONSTRAINTS_GROUP) return 6;
  return 7;
}

/** Stable: resources of one rank keep their order. */
export function applyOrder<T extends Pick<OrderedResource, "apiVersion" | "kind">>(resources: readonly T[]): T[] {
  return resources
    .map((resource, index) => ({ resource, index, rank: applyRankOf(resource) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ resource }) => resource);
}

/**
 * The definition among `resources` that defines `resource`'s kind: a CRD of its group,
 * kind and version, or a ConstraintTemplate whose constraint kind it is. null when the
 * kind is expected to exist already.
 */
export function definitionOf(resources: readonly OrderedResource[], resource: Pick<OrderedResource, "apiVersion" | "kind">): OrderedResource | null {
  const group = groupOf(resource.apiVersion);
  const version = versionOf(resource.apiVersion);
  for (const candidate of resources) {
    const candidateGroup = groupOf(candidate.apiVersion);
    if (candidateGroup === "apiextensions.k8s.io" && candidate.kind === "CustomResourceDefinition") {
      const spec = candidate.spec as { group?: string; names?: { kind?: string }; versions?: { name?: string }[] } | undefined;
      if (spec?.group === group && spec.names?.kind === resource.kind && (spec.versions ?? []).some((v) => v.name === version)) return candidate;
    }
    if (candidateGroup === GATEKEEPER_TEMPLATES_GROUP && candidate.kind === "ConstraintTemplate" && group === GATEKEEPER_CONSTRAINTS_GROUP) {
      const kind = (candidate.spec as { crd?: { spec?: { names?: { kind?: string } } } } | undefined)?.crd?.spec?.names?.kind;
      if (kind === resource.kind) return candidate;
    }
  }
  return null;
}
