// The rendered resource type is lib/kubernetes/render's; the export only adds what it
// needs to read one.

import type { KubernetesResource } from "@/lib/kubernetes/render/kubernetes-resource";

export type { KubernetesResource };

/** The API group of a resource ("" for the core group). */
export function apiGroupOf(resource: Pick<KubernetesResource, "apiVersion">): string {
  const slash = resource.apiVersion.indexOf("/");
  return slash === -1 ? "" : resource.apiVersion.slice(0, slash);
}
