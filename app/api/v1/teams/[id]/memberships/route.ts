// POST /api/v1/teams/{id}/memberships — give a user a role in the team
import { handleOperation } from "@/lib/api/handle-operation";
import { addMembershipOperation } from "@/lib/api/operations";
import { addMembership } from "@/lib/teams/add-membership";

export const POST = handleOperation(addMembershipOperation, ({ ctx, params, body }) => addMembership({ ctx, teamId: params.id, input: body }));
