// GET /api/v1/auth/sso/{provider}/start — begin single sign-on (redirect to the provider)
import { handleOperation } from "@/lib/api/handle-operation";
import { startSsoSignInOperation } from "@/lib/api/operations";
import { isSecureCookieRequest } from "@/lib/auth/cookie-security";
import { flowCookie } from "@/lib/auth/sso/sso-flow-secrets";
import { redirectResponse, ssoFailureLocation } from "@/lib/auth/sso/sso-failure-location";
import { startSsoSignIn } from "@/lib/auth/sso/start-sso-sign-in";

export const GET = handleOperation(startSsoSignInOperation, async ({ ctx, params, query, request }) => {
  try {
    const { location, flowSecret } = await startSsoSignIn({ ctx, providerId: params.provider, next: query.next ?? null });
    return redirectResponse(location, [flowCookie(flowSecret, isSecureCookieRequest(request.headers))]);
  } catch (error) {
    return redirectResponse(await ssoFailureLocation({ ctx, providerId: params.provider, error }));
  }
});
