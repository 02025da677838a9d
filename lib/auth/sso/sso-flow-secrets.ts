import { createHmac, timingSafeEqual } from "node:crypto";
import { generateSecret, hashSecret } from "@/lib/auth/secret-token";

// One random secret per sign-in lives in the browser's flow cookie. state, nonce and the
// PKCE code verifier are derived from it, so the database keeps only the state's hash:
// any replica can finish the sign-in, a database reader cannot, and a callback arriving
// in a browser that did not start the flow (login CSRF) lacks the cookie.
export const SSO_FLOW_COOKIE = "rampart_sso_flow";
/** Only the callback needs the cookie. */
export const SSO_FLOW_COOKIE_PATH = "/api/v1/auth/sso/";
export const SSO_FLOW_TTL_SECONDS = 600;

export type SsoFlowSecrets = { state: string; nonce: string; codeVerifier: string };

export function newFlowSecret(): string {
  return generateSecret(32);
}

// base64url of an HMAC-SHA256: 43 characters of the unreserved set, as RFC 7636 asks of a verifier.
function derive(flowSecret: string, purpose: string): string {
  return createHmac("sha256", flowSecret).update(`rampart-sso:${purpose}`).digest("base64url");
}

export function flowSecrets(flowSecret: string): SsoFlowSecrets {
  return { state: derive(flowSecret, "state"), nonce: derive(flowSecret, "nonce"), codeVerifier: derive(flowSecret, "pkce") };
}

/** Whether a returned state is the one this browser's flow secret makes. */
export function isStateOf(flowSecret: string, state: string): boolean {
  const expected = Buffer.from(flowSecrets(flowSecret).state);
  const actual = Buffer.from(state);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function stateHash(state: string): string {
  return hashSecret(state);
}

export function flowCookie(flowSecret: string, secure: boolean, maxAgeSeconds = SSO_FLOW_TTL_SECONDS): string {
  return [
    `${SSO_FLOW_COOKIE}=${flowSecret}`,
    `Path=${SSO_FLOW_COOKIE_PATH}`,
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}
