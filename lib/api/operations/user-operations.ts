import { createUserInput, listUsersQuery, updateUserInput, userPageSchema, userSchema } from "@/lib/users/user-schemas";
import { defineOperation, idParams } from "../operation";

export const listUsersOperation = defineOperation({
  id: "listUsers",
  method: "GET",
  path: "/users",
  summary: "List users",
  tag: "users",
  access: "users:read",
  query: listUsersQuery,
  response: userPageSchema,
});

export const createUserOperation = defineOperation({
  id: "createUser",
  method: "POST",
  path: "/users",
  summary: "Create a user, optionally with team memberships",
  tag: "users",
  access: "users:manage",
  body: createUserInput,
  response: userSchema,
  successStatus: 201,
});

export const getUserOperation = defineOperation({
  id: "getUser",
  method: "GET",
  path: "/users/{id}",
  summary: "Read one user",
  tag: "users",
  access: "users:read",
  params: idParams,
  response: userSchema,
});

export const updateUserOperation = defineOperation({
  id: "updateUser",
  method: "PATCH",
  path: "/users/{id}",
  summary: "Rename, disable or enable a user; requires If-Match",
  tag: "users",
  access: "users:manage",
  params: idParams,
  body: updateUserInput,
  response: userSchema,
  ifMatch: true,
});
