// POST /api/v1/auth/logout — revoke the session and clear the cookie (and, after single sign-on, where the provider signs out)
import { handleOperation } from "@/lib/api/handle-operation";
import { logoutOperation } from "@/lib/api/operations";
import { signOut } from "@/lib/auth/sign-out";
import { isSecureCookieRequest } from "@/lib/auth/cookie-security";
import { clearedSessionCookie } from "@/lib/auth/session";

export const POST = handleOperation(logoutOperation, async ({ ctx, request }) => {
  const { endSessionUrl } = await signOut(ctx);
  return { body: { endSessionUrl }, headers: { "set-cookie": clearedSessionCookie(isSecureCookieRequest(request.headers)) } };
});
