// POST /api/v1/delivery/targets/{id}/kubernetes/reapply — re-apply what Rampart applied last, with force
import { handleOperation } from "@/lib/api/handle-operation";
import { reapplyKubernetesDeliveryOperation } from "@/lib/api/operations";
import { reapplyKubernetesDelivery } from "@/lib/kubernetes/delivery/reapply-kubernetes-delivery";

export const POST = handleOperation(reapplyKubernetesDeliveryOperation, ({ ctx, params }) => reapplyKubernetesDelivery({ ctx, targetId: params.id }));
