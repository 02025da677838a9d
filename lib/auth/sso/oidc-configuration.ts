import "server-only";
import * as oidc from "openid-client";
import { idpFetch } from "./idp-fetch";
import type { OidcProviderConfig } from "./sso-env";

// Seconds a provider has to answer each request (discovery, token, JWKS, userinfo).
const REQUEST_TIMEOUT_SECONDS = 10;
// Discovery is cached per process (it is a provider's published metadata, not state);
// signing keys (JWKS) are cached by openid-client inside the configuration and refetched
// when a token names a key it does not know (key rotation).
const DISCOVERY_TTL_MS = 60 * 60_000;

type Cached = { config: oidc.Configuration; expiresAt: number };
const cache = new Map<string, Cached>();
const inFlight = new Map<string, Promise<oidc.Configuration>>();

/**
 * The openid-client configuration of a provider, discovered from its issuer (the
 * discovered issuer must equal the configured one, openid-client checks). A failure is
 * not cached: the next sign-in tries again.
 */
export async function oidcConfiguration(provider: OidcProviderConfig): Promise<oidc.Configuration> {
  const key = cacheKey(provider);
  const hit = cache.get(key);
  if (hit && hit.expiresAt > Date.now()) return hit.config;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = discover(provider).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  const config = await pending;
  cache.set(key, { config, expiresAt: Date.now() + DISCOVERY_TTL_MS });
  return config;
}

// Keyed by everything that shapes the configuration, so a test (or a restart with other
// settings) never reuses one made for another provider at the same id.
function cacheKey(p: OidcProviderConfig): string {
  return JSON.stringify([p.id, p.issuer, p.clientId, p.clientSecret, p.idTokenAlg, p.tokenEndpointAuth]);
}

async function discover(provider: OidcProviderConfig): Promise<oidc.Configuration> {
  const clientAuth =
    provider.tokenEndpointAuth === "client_secret_post" ? oidc.ClientSecretPost(provider.clientSecret) : oidc.ClientSecretBasic(provider.clientSecret);
  const insecure = new URL(provider.issuer).protocol === "http:";
  return oidc.discovery(
    new URL(provider.issuer),
    provider.clientId,
    // The one algorithm ID tokens must be signed with: anything else (including `none`
    // and the HS* family) is refused, whatever the provider advertises.
    { client_secret: provider.clientSecret, id_token_signed_response_alg: provider.idTokenAlg },
    clientAuth,
    {
      [oidc.customFetch]: idpFetch,
      timeout: REQUEST_TIMEOUT_SECONDS,
      execute: [
        // Verify every ID token's signature against the provider's JWKS. openid-client
        // otherwise trusts one received straight from the token endpoint over TLS (as OpenID
        // Connect permits); Rampart does not lean on the transport alone.
        oidc.enableNonRepudiationChecks,
        // lib/auth/sso/sso-env.ts allows http:// issuers on loopback hosts only.
        ...(insecure ? [oidc.allowInsecureRequests] : []),
      ],
    },
  );
}

/** Drops every cached discovery (tests standing in for a fresh replica). */
export function forgetOidcConfigurations(): void {
  cache.clear();
}
