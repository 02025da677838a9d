// POST /api/v1/sso/mappings — map a provider's group to a role in a team
import { handleOperation } from "@/lib/api/handle-operation";
import { createSsoGroupMappingOperation } from "@/lib/api/operations";
import { createSsoGroupMapping } from "@/lib/auth/sso/create-sso-group-mapping";

export const POST = handleOperation(createSsoGroupMappingOperation, async ({ ctx, body }) => createSsoGroupMapping({ ctx, input: body }));
