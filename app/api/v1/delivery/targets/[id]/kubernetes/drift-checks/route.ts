// POST /api/v1/delivery/targets/{id}/kubernetes/drift-checks — compare what Rampart applied with the cluster now
import { handleOperation } from "@/lib/api/handle-operation";
import { checkKubernetesDriftOperation } from "@/lib/api/operations";
import { checkKubernetesDrift } from "@/lib/kubernetes/delivery/check-kubernetes-drift";

export const POST = handleOperation(checkKubernetesDriftOperation, ({ ctx, params }) => checkKubernetesDrift({ ctx, targetId: params.id }));
