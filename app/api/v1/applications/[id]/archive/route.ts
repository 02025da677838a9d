// POST /api/v1/applications/{id}/archive — archive an application (If-Match required)
import { handleOperation } from "@/lib/api/handle-operation";
import { archiveApplicationOperation } from "@/lib/api/operations";
import { archiveApplication } from "@/lib/applications/archive-application";

export const POST = handleOperation(archiveApplicationOperation, ({ ctx, params, expectedVersion }) =>
  archiveApplication({ ctx, id: params.id, expectedVersion }),
);
