// GET /api/v1/delivery/rollout — desired versus running, per target, application and proxy instance
import { handleOperation } from "@/lib/api/handle-operation";
import { getDeliveryRolloutOperation } from "@/lib/api/operations";
import { getDeliveryRollout } from "@/lib/delivery/get-delivery-rollout";

export const GET = handleOperation(getDeliveryRolloutOperation, ({ ctx }) => getDeliveryRollout({ ctx }));
