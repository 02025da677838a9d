// GET /api/v1/delivery/targets/{id}/kubernetes/plans/{planId} — one plan with its resources
import { handleOperation } from "@/lib/api/handle-operation";
import { getKubernetesPlanOperation } from "@/lib/api/operations";
import { getKubernetesPlan } from "@/lib/kubernetes/delivery/get-kubernetes-plan";

export const GET = handleOperation(getKubernetesPlanOperation, ({ actor, params }) => getKubernetesPlan({ actor, targetId: params.id, planId: params.planId }));
