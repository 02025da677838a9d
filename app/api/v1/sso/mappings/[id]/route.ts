// DELETE /api/v1/sso/mappings/{id} — remove a group mapping
import { handleOperation } from "@/lib/api/handle-operation";
import { deleteSsoGroupMappingOperation } from "@/lib/api/operations";
import { deleteSsoGroupMapping } from "@/lib/auth/sso/delete-sso-group-mapping";

export const DELETE = handleOperation(deleteSsoGroupMappingOperation, async ({ ctx, params }) => deleteSsoGroupMapping({ ctx, id: params.id }));
