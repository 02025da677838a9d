// GET  /api/v1/teams — list teams the caller may see
// POST /api/v1/teams — create a team
import { handleOperation } from "@/lib/api/handle-operation";
import { createTeamOperation, listTeamsOperation } from "@/lib/api/operations";
import { createTeam } from "@/lib/teams/create-team";
import { findTeams } from "@/lib/teams/find-teams";

export const GET = handleOperation(listTeamsOperation, ({ actor, query }) => findTeams({ actor, query }));
export const POST = handleOperation(createTeamOperation, ({ ctx, body }) => createTeam({ ctx, input: body }));
