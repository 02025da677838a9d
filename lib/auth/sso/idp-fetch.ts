import type { CustomFetch } from "openid-client";
import { outboundFetch } from "@/lib/outbound/outbound-fetch";

/**
 * Every request the portal makes to an identity provider (discovery, JWKS, token,
 * userinfo) goes through this one function, handed to openid-client as its customFetch,
 * and so through the outbound-request guard (lib/outbound): the provider's name is
 * resolved and checked at each call, an address inside the portal's network needs
 * RAMPART_EGRESS_ALLOW, redirects fail. A refusal is a failed fetch, which
 * classifyOidcError reports as provider-unavailable. openid-client also sets a deadline
 * (its `timeout`, set in oidc-configuration.ts).
 */
export const idpFetch: CustomFetch = async (url, options) =>
  // undici's Response is a standard one; openid-client's types name the DOM's.
  (await outboundFetch(url, options as Parameters<typeof outboundFetch>[1])) as unknown as Response;
