import "server-only";
import * as oidc from "openid-client";
import { oidcConfiguration } from "./oidc-configuration";
import { findSsoProvider, ssoPostLogoutRedirectUri } from "./sso-providers";

/**
 * RP-initiated logout: where to send the browser so the provider ends its session too, or
 * null when the provider offers no end_session_endpoint (or cannot be reached: Rampart's
 * own session has ended either way).
 */
export async function endSessionUrl({ providerId, idTokenHint }: { providerId: string; idTokenHint: string | null }): Promise<string | null> {
  const provider = findSsoProvider(providerId);
  if (!provider) return null;
  let config: oidc.Configuration;
  try {
    config = await oidcConfiguration(provider);
  } catch {
    return null;
  }
  if (!config.serverMetadata().end_session_endpoint) return null;
  return oidc.buildEndSessionUrl(config, {
    post_logout_redirect_uri: ssoPostLogoutRedirectUri(),
    ...(idTokenHint ? { id_token_hint: idTokenHint } : {}),
  }).href;
}
