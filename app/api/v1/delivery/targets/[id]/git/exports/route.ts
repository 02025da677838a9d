// GET  /api/v1/delivery/targets/{id}/git/exports — a Git target's latest exports
// POST /api/v1/delivery/targets/{id}/git/exports — commit and push the rendered resources
import { handleOperation } from "@/lib/api/handle-operation";
import { exportGitDeliveryOperation, listGitExportsOperation } from "@/lib/api/operations";
import { exportGitDelivery } from "@/lib/kubernetes/delivery/export-git-delivery";
import { findGitExports } from "@/lib/kubernetes/delivery/find-git-exports";

export const GET = handleOperation(listGitExportsOperation, ({ actor, params }) => findGitExports({ actor, targetId: params.id }));
export const POST = handleOperation(exportGitDeliveryOperation, ({ ctx, params }) => exportGitDelivery({ ctx, targetId: params.id }));
