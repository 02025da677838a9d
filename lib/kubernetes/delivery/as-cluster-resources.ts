import type { ClusterResource } from "@/lib/kubernetes/cluster/resource-ref";
import type { KubernetesResource } from "@/lib/kubernetes/render/kubernetes-resource";

/**
 * The renderers' resources as the cluster client takes them: the same plain objects, but
 * the renderers' metadata type is closed (name, namespace, labels, annotations) while the
 * client's admits any field, so TypeScript wants the widening spelled out.
 */
export function asClusterResources(resources: readonly KubernetesResource[]): ClusterResource[] {
  return resources as unknown as ClusterResource[];
}
