import { queryOptions } from "@tanstack/react-query";
import { gitExportListSchema, kubernetesDeliverySchema } from "@/lib/kubernetes/delivery/kubernetes-delivery-schemas";
import { apiRequest } from "./api-client";

// Browser-side reads of a target's Kubernetes and GitOps delivery. The target page
// prefetches the same keys on the server (lib/kubernetes/delivery/*).

export const kubernetesDeliveryKeys = {
  status: (targetId: string) => ["delivery", "kubernetes", targetId] as const,
  gitExports: (targetId: string) => ["delivery", "git-exports", targetId] as const,
};

export function kubernetesDeliveryQuery(targetId: string) {
  return queryOptions({
    queryKey: kubernetesDeliveryKeys.status(targetId),
    queryFn: ({ signal }) => apiRequest(`/delivery/targets/${encodeURIComponent(targetId)}/kubernetes`, { schema: kubernetesDeliverySchema, signal }),
  });
}

export function gitExportsQuery(targetId: string) {
  return queryOptions({
    queryKey: kubernetesDeliveryKeys.gitExports(targetId),
    queryFn: ({ signal }) => apiRequest(`/delivery/targets/${encodeURIComponent(targetId)}/git/exports`, { schema: gitExportListSchema, signal }),
  });
}
