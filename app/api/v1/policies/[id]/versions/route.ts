// POST /api/v1/policies/{id}/versions — start a new draft: import, restore (rollback) or copy the latest
import { handleOperation } from "@/lib/api/handle-operation";
import { createPolicyDraftOperation } from "@/lib/api/operations";
import { createPolicyDraft } from "@/lib/policies/create-policy-draft";

export const POST = handleOperation(createPolicyDraftOperation, ({ ctx, params, body }) => createPolicyDraft({ ctx, policyId: params.id, input: body }));
