import { env } from "@/lib/env";
import type { OidcProviderConfig } from "./sso-env";

/** The configured providers, in the order of RAMPART_OIDC_PROVIDERS. */
export function ssoProviders(): OidcProviderConfig[] {
  return env().sso.providers;
}

export function findSsoProvider(id: string): OidcProviderConfig | null {
  return ssoProviders().find((p) => p.id === id) ?? null;
}

// The public URL is required whenever a provider is configured (lib/auth/sso/sso-env.ts).
function publicUrl(): string {
  const url = env().sso.publicUrl;
  if (!url) throw new Error("RAMPART_PUBLIC_URL is not set");
  return url;
}

/** Where the provider sends the browser back: register exactly this at the provider. */
export function ssoRedirectUri(providerId: string): string {
  return `${publicUrl()}/api/v1/auth/sso/${providerId}/callback`;
}

/** Where the provider sends the browser after RP-initiated logout: register it too. */
export function ssoPostLogoutRedirectUri(): string {
  return `${publicUrl()}/sign-in/signed-out`;
}

/** What the sign-in page shows of the providers (nothing secret). */
export function ssoSignInOptions() {
  const { sso } = env();
  return {
    providers: sso.providers.map((p) => ({ id: p.id, displayName: p.displayName })),
    ssoOnly: sso.ssoOnly,
  };
}
