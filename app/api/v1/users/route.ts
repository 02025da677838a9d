// GET  /api/v1/users — list users
// POST /api/v1/users — create a user
import { handleOperation } from "@/lib/api/handle-operation";
import { createUserOperation, listUsersOperation } from "@/lib/api/operations";
import { createUser } from "@/lib/users/create-user";
import { findUsers } from "@/lib/users/find-users";

export const GET = handleOperation(listUsersOperation, ({ query }) => findUsers({ query }));
export const POST = handleOperation(createUserOperation, ({ ctx, body }) => createUser({ ctx, input: body }));
