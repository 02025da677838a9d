// POST /api/v1/delivery/targets/{id}/kubernetes/plans — render the published policy and dry-run diff it against the cluster
import { handleOperation } from "@/lib/api/handle-operation";
import { planKubernetesDeliveryOperation } from "@/lib/api/operations";
import { planKubernetesDelivery } from "@/lib/kubernetes/delivery/plan-kubernetes-delivery";

export const POST = handleOperation(planKubernetesDeliveryOperation, ({ ctx, params }) => planKubernetesDelivery({ ctx, targetId: params.id }));
