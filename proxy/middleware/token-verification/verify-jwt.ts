// Compact JWS verification with node:crypto. Every step refuses rather than
// guesses: three base64url parts only; "none", HS* and any algorithm outside
// the issuer's allow list refused; keys carried or pointed to by the token
// (jwk, jku, x5u, x5c) refused, since only the policy's keys may verify;
// "crit" refused (no extension is understood); exp required; nbf/iat honoured
// with the policy's clock skew; iss exact; aud must overlap the allowed
// audiences when the policy names any.

import { constants, verify } from "node:crypto";
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

export function verifySignature(decoded: DecodedJwt, key: VerificationKey): boolean {
  const alg = decoded.header.alg as string;
  if (!key.algorithms.has(alg)) return false;
  const data = Buffer.from(decoded.signingInput, "ascii");
  const sig = decoded.signature;
  try {
    switch (alg) {
      case "RS256":
      case "RS384":
      case "RS512":
        return verify(`sha${alg.slice(2)}`, data, key.key, sig);
      case "PS256":
      case "PS384":
      case "PS512":
        return verify(`sha${alg.slice(2)}`, data, { key: key.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, sig);
      case "ES256":
      case "ES384":
      case "ES512": {
        const size = alg === "ES256" ? 64 : alg === "ES384" ? 96 : 132;
        if (sig.length !== size) return false;
        return verify(`sha${alg.slice(2)}`, data, { key: key.key, dsaEncoding: "ieee-p1363" }, sig);
      }
      case "EdDSA":
        return verify(null, data, key.key, sig);
      default:
        return false;
    }
  } catch {
    return false;
  }
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
