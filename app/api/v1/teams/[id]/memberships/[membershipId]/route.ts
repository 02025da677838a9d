// DELETE /api/v1/teams/{id}/memberships/{membershipId} — remove a role from a user
import { handleOperation } from "@/lib/api/handle-operation";
import { removeMembershipOperation } from "@/lib/api/operations";
import { removeMembership } from "@/lib/teams/remove-membership";

export const DELETE = handleOperation(removeMembershipOperation, ({ ctx, params }) =>
  removeMembership({ ctx, teamId: params.id, membershipId: params.membershipId }),
);
