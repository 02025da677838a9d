// GET   /api/v1/teams/{id} — read a team with its members
// PATCH /api/v1/teams/{id} — update a team (If-Match required)
import { handleOperation } from "@/lib/api/handle-operation";
import { getTeamOperation, updateTeamOperation } from "@/lib/api/operations";
import { getTeam } from "@/lib/teams/get-team";
import { updateTeam } from "@/lib/teams/update-team";

export const GET = handleOperation(getTeamOperation, ({ actor, params }) => getTeam({ actor, id: params.id }));
export const PATCH = handleOperation(updateTeamOperation, ({ ctx, params, body, expectedVersion }) =>
  updateTeam({ ctx, id: params.id, expectedVersion, input: body }),
);
