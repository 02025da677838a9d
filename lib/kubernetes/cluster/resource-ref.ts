// How a resource is named in results: kind, apiVersion, namespace, name.

import type { ObjectLabel } from "./cluster-error";

/** A rendered resource as lib/kubernetes/render returns it (any kind). */
export interface ClusterResource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export type ResourceRef = ObjectLabel;

export function refOf(resource: ClusterResource): ResourceRef {
  return { apiVersion: resource.apiVersion, kind: resource.kind, namespace: resource.metadata.namespace ?? null, name: resource.metadata.name };
}

/** kubectl's order: definitions and namespaces before what lives in them, RBAC roles before their bindings. */
const ORDER = ["CustomResourceDefinition", "Namespace", "ServiceAccount", "ClusterRole", "Role", "ClusterRoleBinding", "RoleBinding", "ConfigMap", "Secret"];

export function applyOrder<T extends ClusterResource>(resources: readonly T[]): T[] {
  const rank = (r: ClusterResource) => {
    const index = ORDER.indexOf(r.kind);
    return index < 0 ? ORDER.length : index;
  };
  return resources.map((r, i) => ({ r, i })).sort((x, y) => rank(x.r) - rank(y.r) || x.i - y.i).map(({ r }) => r);
}
