// GET   /api/v1/users/{id} — read one user
// PATCH /api/v1/users/{id} — rename, disable or enable (If-Match required)
import { handleOperation } from "@/lib/api/handle-operation";
import { getUserOperation, updateUserOperation } from "@/lib/api/operations";
import { getUser } from "@/lib/users/get-user";
import { updateUser } from "@/lib/users/update-user";

export const GET = handleOperation(getUserOperation, async ({ params }) => (await getUser({ id: params.id })).view);
export const PATCH = handleOperation(updateUserOperation, ({ ctx, params, body, expectedVersion }) =>
  updateUser({ ctx, id: params.id, expectedVersion, input: body }),
);
