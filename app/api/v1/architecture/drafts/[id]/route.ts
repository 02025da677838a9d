// GET /api/v1/architecture/drafts/{id} — read a questionnaire draft by its id
// PATCH /api/v1/architecture/drafts/{id} — replace its answers (If-Match required)
import { handleOperation } from "@/lib/api/handle-operation";
import { getArchitectureDraftOperation, updateArchitectureDraftOperation } from "@/lib/api/operations";
import { getArchitectureDraft } from "@/lib/architecture/get-architecture-draft";
import { updateArchitectureDraft } from "@/lib/architecture/update-architecture-draft";

export const GET = handleOperation(getArchitectureDraftOperation, ({ params }) => getArchitectureDraft({ id: params.id }));
export const PATCH = handleOperation(updateArchitectureDraftOperation, ({ ctx, params, body, expectedVersion }) =>
  updateArchitectureDraft({ ctx, id: params.id, expectedVersion, input: body }),
);
