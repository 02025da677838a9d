// POST /api/v1/auth/login — sign in; sets the HttpOnly session cookie
import { handleOperation } from "@/lib/api/handle-operation";
import { loginOperation } from "@/lib/api/operations";
import { isSecureCookieRequest } from "@/lib/auth/cookie-security";
import { sessionCookie } from "@/lib/auth/session";
import { signIn } from "@/lib/auth/sign-in";
import { getUser } from "@/lib/users/get-user";

export const POST = handleOperation(loginOperation, async ({ ctx, body, request }) => {
  const { token, session, userId } = await signIn({ ctx, input: body });
  const maxAge = Math.floor((session.expiresAt.getTime() - Date.now()) / 1000);
  const { view } = await getUser({ id: userId });
  return {
    body: { user: view },
    headers: { "set-cookie": sessionCookie(token, isSecureCookieRequest(request.headers), maxAge) },
  };
});
