// GET /api/v1/delivery/targets/{id}/git/archive — the GitOps tree as a ZIP
import { handleOperation } from "@/lib/api/handle-operation";
import { downloadDeliveryArchiveOperation } from "@/lib/api/operations";
import { buildDeliveryArchive } from "@/lib/kubernetes/delivery/build-delivery-archive";

export const GET = handleOperation(downloadDeliveryArchiveOperation, ({ actor, params }) => buildDeliveryArchive({ actor, targetId: params.id }));
