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

export { applyOrder } from "@/lib/kubernetes/render/apply-order";
