// GET /api/v1/auth/sso/{provider}/callback — the provider's redirect back: sign in, or explain why not
import { handleOperation } from "@/lib/api/handle-operation";
import { completeSsoSignInOperation } from "@/lib/api/operations";
import { readCookie } from "@/lib/auth/authenticate-request";
import { isSecureCookieRequest } from "@/lib/auth/cookie-security";
import { sessionCookie } from "@/lib/auth/session";
import { completeSsoSignIn } from "@/lib/auth/sso/complete-sso-sign-in";
import { SSO_FLOW_COOKIE } from "@/lib/auth/sso/sso-flow-secrets";
import { redirectResponse, ssoFailureLocation } from "@/lib/auth/sso/sso-failure-location";

export const GET = handleOperation(completeSsoSignInOperation, async ({ ctx, params, request }) => {
  try {
    const { token, session, next } = await completeSsoSignIn({
      ctx,
      providerId: params.provider,
      callbackUrl: new URL(request.url),
      flowSecret: readCookie(request.headers.get("cookie"), SSO_FLOW_COOKIE),
    });
    const maxAge = Math.floor((session.expiresAt.getTime() - Date.now()) / 1000);
    return redirectResponse(next, [sessionCookie(token, isSecureCookieRequest(request.headers), maxAge)]);
  } catch (error) {
    return redirectResponse(await ssoFailureLocation({ ctx, providerId: params.provider, error, counted: true }));
  }
});
