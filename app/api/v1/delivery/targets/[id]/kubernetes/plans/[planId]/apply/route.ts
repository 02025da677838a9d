// POST /api/v1/delivery/targets/{id}/kubernetes/plans/{planId}/apply — server-side apply a plan
import { handleOperation } from "@/lib/api/handle-operation";
import { applyKubernetesPlanOperation } from "@/lib/api/operations";
import { applyKubernetesPlan } from "@/lib/kubernetes/delivery/apply-kubernetes-plan";

export const POST = handleOperation(applyKubernetesPlanOperation, ({ ctx, params }) =>
  applyKubernetesPlan({ ctx, targetId: params.id, planId: params.planId }),
);
