// Compact JWS verification: jose verifies signatures and claims; the checks
// around it are the policy's. Every step refuses rather than
// guesses: three base64url parts only; "none", HS* and any algorithm outside
// the issuer's allow list refused; keys carried or pointed to by the token
// (jwk, jku, x5u, x5c) refused, since only the policy's keys may verify;
// "crit" refused (no extension is understood); exp required; nbf/iat honoured
// with the policy's clock skew; iss exact; aud must overlap the allowed
// audiences when the policy names any.

import { errors as joseErrors, jwtVerify } from "jose";
import type { VerificationKey } from "./public-key.js";

export type JwtFailure =
  | "malformed"
  | "too-large"
  | "alg-not-allowed"
  | "embedded-key"
  | "crit"
  | "unknown-issuer"
  | "no-key"
  | "bad-signature"
  | "expired"
  | "not-yet-valid"
  | "missing-exp"
  | "audience";

export interface JwtIssuer {
  issuer: string;
  audiences: ReadonlySet<string>;
  algorithms: ReadonlySet<string>;
}

export type DecodedJwt = { header: Record<string, unknown>; claims: Record<string, unknown>; signingInput: string; signature: Buffer };

export const MAX_TOKEN_LENGTH = 16 * 1024;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const FORBIDDEN_HEADERS = ["jwk", "jku", "x5u", "x5c"];

export function decodeJwt(token: string): DecodedJwt | JwtFailure {
  if (token.length > MAX_TOKEN_LENGTH) return "too-large";
  const first = token.indexOf(".");
  const second = first < 0 ? -1 : token.indexOf(".", first + 1);
  if (first <= 0 || second < 0 || token.indexOf(".", second + 1) >= 0) return "malformed";
  const h = token.slice(0, first);
  const p = token.slice(first + 1, second);
  const s = token.slice(second + 1);
  if (!BASE64URL.test(h) || !BASE64URL.test(p) || !BASE64URL.test(s)) return "malformed";
  const header = parseJsonObject(h);
  const claims = parseJsonObject(p);
  if (header === null || claims === null) return "malformed";
  return { header, claims, signingInput: token.slice(0, second), signature: Buffer.from(s, "base64url") };
}

function parseJsonObject(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Header checks that need no key: algorithm, embedded keys, crit. */
export function checkHeader(header: Record<string, unknown>, issuer: JwtIssuer): JwtFailure | null {
  const alg = header.alg;
  if (typeof alg !== "string" || !issuer.algorithms.has(alg)) return "alg-not-allowed";
  for (const name of FORBIDDEN_HEADERS) if (name in header) return "embedded-key";
  if ("crit" in header || header.b64 !== undefined) return "crit";
  return null;
}

/**
 * The signature and the registered claims, verified by jose's jwtVerify: the
 * algorithm must be the one this key is bound to (and in the issuer's allow
 * list, checked before), jose refuses a key whose type does not fit the
 * algorithm and RSA keys under 2048 bits, understands no `crit` extension,
 * requires `exp`, and checks `nbf`, `iss` and `aud` with the policy's skew.
 */
export async function verifyJws(
  token: string,
  decoded: DecodedJwt,
  key: VerificationKey,
  issuer: JwtIssuer,
  nowSeconds: number,
  skewSeconds: number,
): Promise<true | JwtFailure> {
  const alg = decoded.header.alg as string;
  if (!key.algorithms.has(alg) || !issuer.algorithms.has(alg)) return "bad-signature";
  try {
    await jwtVerify(token, key.key, {
      algorithms: [alg],
      issuer: issuer.issuer,
      audience: issuer.audiences.size > 0 ? [...issuer.audiences] : undefined,
      clockTolerance: skewSeconds,
      currentDate: new Date(nowSeconds * 1000),
      requiredClaims: ["exp"],
    });
    return true;
  } catch (error) {
    return joseFailure(error);
  }
}

function joseFailure(error: unknown): JwtFailure {
  if (error instanceof joseErrors.JWTExpired) return "expired";
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === "exp") return "missing-exp";
    if (error.claim === "nbf" || error.claim === "iat") return "not-yet-valid";
    if (error.claim === "aud") return "audience";
    if (error.claim === "iss") return "unknown-issuer";
    return "malformed";
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return "alg-not-allowed";
  if (error instanceof joseErrors.JOSENotSupported) return "crit";
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) return "malformed";
  return "bad-signature";
}

/** Time and audience claims; `now` in seconds. Issuer equality was established when the issuer was chosen. */
export function checkClaims(claims: Record<string, unknown>, issuer: JwtIssuer, nowSeconds: number, skewSeconds: number): JwtFailure | null {
  const exp = claims.exp;
  if (typeof exp !== "number" || !Number.isFinite(exp)) return "missing-exp";
  if (nowSeconds - skewSeconds >= exp) return "expired";
  const nbf = claims.nbf;
  if (nbf !== undefined && (typeof nbf !== "number" || nowSeconds + skewSeconds < nbf)) return "not-yet-valid";
  const iat = claims.iat;
  if (iat !== undefined && (typeof iat !== "number" || nowSeconds + skewSeconds < iat)) return "not-yet-valid";
  if (issuer.audiences.size > 0) {
    const aud = claims.aud;
    const list = typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud : [];
    if (!list.some((a) => typeof a === "string" && issuer.audiences.has(a))) return "audience";
  }
  return null;
}
