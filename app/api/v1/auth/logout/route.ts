// POST /api/v1/auth/logout — revoke the session and clear the cookie
import { handleOperation } from "@/lib/api/handle-operation";
import { logoutOperation } from "@/lib/api/operations";
import { signOut } from "@/lib/auth/sign-out";
import { isSecureCookieRequest } from "@/lib/auth/cookie-security";
import { clearedSessionCookie } from "@/lib/auth/session";

export const POST = handleOperation(logoutOperation, async ({ ctx, request }) => {
  await signOut(ctx);
  return { body: null, status: 204, headers: { "set-cookie": clearedSessionCookie(isSecureCookieRequest(request.headers)) } };
});
