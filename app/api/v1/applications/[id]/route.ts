// GET   /api/v1/applications/{id} — read one application
// PATCH /api/v1/applications/{id} — update it (If-Match required)
import { handleOperation } from "@/lib/api/handle-operation";
import { getApplicationOperation, updateApplicationOperation } from "@/lib/api/operations";
import { getApplication } from "@/lib/applications/get-application";
import { updateApplication } from "@/lib/applications/update-application";

export const GET = handleOperation(getApplicationOperation, ({ actor, params }) => getApplication({ actor, id: params.id }));
export const PATCH = handleOperation(updateApplicationOperation, ({ ctx, params, body, expectedVersion }) =>
  updateApplication({ ctx, id: params.id, expectedVersion, input: body }),
);
