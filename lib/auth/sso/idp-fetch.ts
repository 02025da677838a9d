import type { CustomFetch } from "openid-client";

/**
 * Every request the portal makes to an identity provider (discovery, JWKS, token,
 * userinfo) goes through this one function, handed to openid-client as its customFetch:
 * the place where the portal's outbound-request guard applies to provider calls.
 * openid-client already asks for no redirects and sets a deadline (its `timeout`, set in
 * oidc-configuration.ts).
 */
export const idpFetch: CustomFetch = (url, options) =>
  // openid-client's body type is wider than the DOM typings of fetch (a Uint8Array); Node's fetch takes it.
  fetch(url, options as RequestInit);
