// POST /api/v1/me/password — change the caller's password
import { handleOperation } from "@/lib/api/handle-operation";
import { changePasswordOperation } from "@/lib/api/operations";
import { changePassword } from "@/lib/auth/change-password";

export const POST = handleOperation(changePasswordOperation, async ({ ctx, body }) => {
  await changePassword({ ctx, input: body });
  return null;
});
