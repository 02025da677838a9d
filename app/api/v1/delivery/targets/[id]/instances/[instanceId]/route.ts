// DELETE /api/v1/delivery/targets/{id}/instances/{instanceId} — remove a stale proxy instance from the rollout view
import { handleOperation } from "@/lib/api/handle-operation";
import { removeProxyInstanceOperation } from "@/lib/api/operations";
import { removeProxyInstance } from "@/lib/delivery/remove-proxy-instance";

export const DELETE = handleOperation(removeProxyInstanceOperation, ({ ctx, params }) =>
  removeProxyInstance({ ctx, targetId: params.id, instanceId: params.instanceId }),
);
