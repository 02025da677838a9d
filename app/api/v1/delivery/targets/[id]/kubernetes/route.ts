// GET /api/v1/delivery/targets/{id}/kubernetes — latest plan, apply and drift check of a Kubernetes target
import { handleOperation } from "@/lib/api/handle-operation";
import { getKubernetesDeliveryOperation } from "@/lib/api/operations";
import { getKubernetesDelivery } from "@/lib/kubernetes/delivery/get-kubernetes-delivery";

export const GET = handleOperation(getKubernetesDeliveryOperation, ({ actor, params }) => getKubernetesDelivery({ actor, targetId: params.id }));
