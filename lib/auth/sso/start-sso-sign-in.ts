import "server-only";
import * as oidc from "openid-client";
import type { RequestContext } from "@/lib/auth/actor";
import { safeNext } from "@/lib/auth/safe-next";
import { db } from "@/lib/db/client";
import { oidcConfiguration } from "./oidc-configuration";
import { SsoFailure, classifyOidcError } from "./sso-failure";
import { flowSecrets, newFlowSecret, SSO_FLOW_TTL_SECONDS, stateHash } from "./sso-flow-secrets";
import { findSsoProvider, ssoRedirectUri } from "./sso-providers";
import { hitSsoStart, isSsoThrottled } from "./sso-throttle";

// Attempts that ended long ago are deleted by later starts (any replica).
const KEEP_ENDED_ATTEMPTS_MS = 60 * 60_000;

/**
 * Begins an authorization code flow with PKCE, state and nonce: records the attempt (so
 * any replica can finish it) and returns where to send the browser, with the flow secret
 * for its cookie. Nothing is recorded when the provider cannot be reached.
 */
export async function startSsoSignIn({ ctx, providerId, next }: { ctx: RequestContext; providerId: string; next: string | null }) {
  const provider = findSsoProvider(providerId);
  if (!provider) throw new SsoFailure("unknown-provider", `No single sign-on provider is called ${JSON.stringify(providerId)}.`);
  if ((await isSsoThrottled(ctx.ip)) || (await hitSsoStart(ctx.ip))) {
    throw new SsoFailure("throttled", "Too many sign-ins from this address.");
  }
  let config: oidc.Configuration;
  try {
    config = await oidcConfiguration(provider);
  } catch (error) {
    throw new SsoFailure(classifyOidcError(error), `Discovery at ${provider.issuer} failed.`, { cause: error });
  }
  const flowSecret = newFlowSecret();
  const { state, nonce, codeVerifier } = flowSecrets(flowSecret);
  const now = Date.now();
  await db.ssoLoginAttempt.deleteMany({ where: { expiresAt: { lt: new Date(now - KEEP_ENDED_ATTEMPTS_MS) } } });
  await db.ssoLoginAttempt.create({
    data: {
      stateHash: stateHash(state),
      provider: provider.id,
      nextPath: safeNext(next),
      ip: ctx.ip,
      expiresAt: new Date(now + SSO_FLOW_TTL_SECONDS * 1000),
    },
  });
  const location = oidc.buildAuthorizationUrl(config, {
    redirect_uri: ssoRedirectUri(provider.id),
    scope: provider.scopes,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
  });
  return { location: location.href, flowSecret };
}
