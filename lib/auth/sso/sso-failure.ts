import * as oidc from "openid-client";
import { outboundRefusalOf } from "@/lib/outbound/outbound-refused";

// Why a single sign-on did not finish. Each has its own page (app/sign-in/sso-error) with
// fixed wording: nothing a provider sent is ever echoed to the browser.
export const SSO_FAILURE_REASONS = [
  "unknown-provider",
  "provider-unavailable",
  "client-rejected",
  "provider-refused",
  "state-invalid",
  "state-replayed",
  "state-expired",
  "code-rejected",
  "nonce-mismatch",
  "wrong-issuer",
  "wrong-audience",
  "token-invalid",
  "email-unverified",
  "groups-overage",
  "account-disabled",
  "account-conflict",
  "throttled",
  "unexpected",
] as const;
export type SsoFailureReason = (typeof SSO_FAILURE_REASONS)[number];

export function isSsoFailureReason(value: unknown): value is SsoFailureReason {
  return typeof value === "string" && (SSO_FAILURE_REASONS as readonly string[]).includes(value);
}

/** A sign-in that must stop; thrown before anything is written (or inside the transaction that then rolls back). */
export class SsoFailure extends Error {
  readonly reason: SsoFailureReason;
  constructor(reason: SsoFailureReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SsoFailure";
    this.reason = reason;
  }
}

/**
 * What an openid-client error means for the user. Unknown errors are "unexpected", never
 * a success: every check openid-client makes (signature, algorithm, issuer, audience,
 * expiry, nonce, state, PKCE at the provider) ends the sign-in.
 */
export function classifyOidcError(error: unknown): SsoFailureReason {
  if (error instanceof SsoFailure) return error.reason;
  // fetch() rejects with a TypeError when the provider cannot be reached.
  if (error instanceof TypeError) return "provider-unavailable";
  // The outbound guard refused the provider's address, a redirect or the scheme.
  if (outboundRefusalOf(error)) return "provider-unavailable";
  if (error instanceof oidc.AuthorizationResponseError) return "provider-refused";
  if (error instanceof oidc.ResponseBodyError) {
    if (error.error === "invalid_grant") return "code-rejected";
    if (error.error === "invalid_client" || error.error === "unauthorized_client") return "client-rejected";
    return error.status >= 500 ? "provider-unavailable" : "code-rejected";
  }
  if (error instanceof oidc.ClientError) {
    switch (error.code) {
      case "OAUTH_TIMEOUT":
      case "OAUTH_ABORT":
      case "OAUTH_RESPONSE_IS_NOT_CONFORM":
      case "OAUTH_RESPONSE_IS_NOT_JSON":
        return "provider-unavailable";
      case "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED":
        // Discovery answered for another issuer than the configured one.
        return "wrong-issuer";
      case "OAUTH_JWT_CLAIM_COMPARISON_FAILED": {
        const claim = claimOf(error);
        if (claim === "nonce") return "nonce-mismatch";
        if (claim === "iss") return "wrong-issuer";
        if (claim === "aud" || claim === "azp") return "wrong-audience";
        return "token-invalid";
      }
      case "OAUTH_INVALID_RESPONSE":
        // Also the authorization response's `iss` parameter naming another issuer (RFC 9207).
        return /"iss" \(issuer\)/.test(causeMessage(error)) ? "wrong-issuer" : "token-invalid";
      case "OAUTH_JWT_TIMESTAMP_CHECK_FAILED":
      case "OAUTH_KEY_SELECTION_FAILED":
      case "OAUTH_UNSUPPORTED_OPERATION":
      case "OAUTH_PARSE_ERROR":
        return "token-invalid";
      default:
        return "unexpected";
    }
  }
  return "unexpected";
}

function claimOf(error: Error): unknown {
  const processing = error.cause as { cause?: { claim?: unknown } } | undefined;
  return processing?.cause?.claim;
}

function causeMessage(error: Error): string {
  return error.cause instanceof Error ? error.cause.message : "";
}
