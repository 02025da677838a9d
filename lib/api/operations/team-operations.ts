import {
  addMembershipInput,
  createTeamInput,
  listTeamsQuery,
  membershipParams,
  teamDetailSchema,
  teamPageSchema,
  teamSchema,
  teamWebhookSecretSchema,
  updateTeamInput,
} from "@/lib/teams/team-schemas";
import { defineOperation, idParams } from "../operation";

export const listTeamsOperation = defineOperation({
  id: "listTeams",
  method: "GET",
  path: "/teams",
  summary: "List the teams the caller may see",
  tag: "teams",
  access: "teams:read",
  query: listTeamsQuery,
  response: teamPageSchema,
});

export const createTeamOperation = defineOperation({
  id: "createTeam",
  method: "POST",
  path: "/teams",
  summary: "Create a team",
  tag: "teams",
  access: "teams:manage",
  body: createTeamInput,
  response: teamSchema,
  successStatus: 201,
});

export const getTeamOperation = defineOperation({
  id: "getTeam",
  method: "GET",
  path: "/teams/{id}",
  summary: "Read one team with its members",
  tag: "teams",
  access: "teams:read",
  params: idParams,
  response: teamDetailSchema,
});

export const updateTeamOperation = defineOperation({
  id: "updateTeam",
  method: "PATCH",
  path: "/teams/{id}",
  summary: "Update a team; requires If-Match",
  tag: "teams",
  access: "teams:manage",
  params: idParams,
  body: updateTeamInput,
  response: teamDetailSchema,
  ifMatch: true,
});

export const addMembershipOperation = defineOperation({
  id: "addMembership",
  method: "POST",
  path: "/teams/{id}/memberships",
  summary: "Give a user a role in a team",
  tag: "teams",
  access: "memberships:manage",
  params: idParams,
  body: addMembershipInput,
  response: teamDetailSchema,
  successStatus: 201,
});

export const removeMembershipOperation = defineOperation({
  id: "removeMembership",
  method: "DELETE",
  path: "/teams/{id}/memberships/{membershipId}",
  summary: "Remove a role from a user in a team",
  tag: "teams",
  access: "memberships:manage",
  params: membershipParams,
  response: teamDetailSchema,
});

export const rotateTeamWebhookSecretOperation = defineOperation({
  id: "rotateTeamWebhookSecret",
  method: "POST",
  path: "/teams/{id}/webhook-secret",
  summary: "Generate a new signing secret for the team's webhook (shown once); requires If-Match",
  tag: "teams",
  access: "teams:manage",
  params: idParams,
  response: teamWebhookSecretSchema,
  ifMatch: true,
});
