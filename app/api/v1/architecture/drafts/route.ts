// GET  /api/v1/architecture/drafts — the signed-in user's questionnaire drafts
// POST /api/v1/architecture/drafts — start a questionnaire draft (public, throttled per IP when anonymous)
import { handleOperation } from "@/lib/api/handle-operation";
import { createArchitectureDraftOperation, listArchitectureDraftsOperation } from "@/lib/api/operations";
import { createArchitectureDraft } from "@/lib/architecture/create-architecture-draft";
import { findArchitectureDrafts } from "@/lib/architecture/find-architecture-drafts";

export const GET = handleOperation(listArchitectureDraftsOperation, ({ actor }) => findArchitectureDrafts({ actor }));
export const POST = handleOperation(createArchitectureDraftOperation, ({ ctx, body }) => createArchitectureDraft({ ctx, input: body }));
