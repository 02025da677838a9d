// JWK → a verification key bound to the algorithms it may verify. The binding
// is what defeats algorithm confusion: an RSA key only ever verifies RS*/PS*,
// an EC key only the ES* algorithm of its curve, an Ed25519 key only EdDSA, and
// no key is ever used as an HMAC secret (the policy allows no HS* algorithm).

import { createPublicKey, type KeyObject } from "node:crypto";

export interface VerificationKey {
  readonly kid: string | null;
  readonly key: KeyObject;
  /** Algorithms this key can verify (narrowed by the JWK's own "alg" when present). */
  readonly algorithms: ReadonlySet<string>;
}

const RSA_ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];
const EC_ALG_BY_CURVE: Record<string, string> = { "P-256": "ES256", "P-384": "ES384", "P-521": "ES512" };
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k"];
const MIN_RSA_BITS = 2048;

/** Returns the key, or a reason it cannot be used. */
export function toVerificationKey(jwk: Record<string, unknown>): VerificationKey | string {
  if (PRIVATE_MEMBERS.some((member) => member in jwk)) return "private or symmetric key material";
  if (jwk.use !== undefined && jwk.use !== "sig") return `use "${String(jwk.use)}" is not "sig"`;
  let algorithms: string[];
  if (jwk.kty === "RSA") algorithms = RSA_ALGS;
  else if (jwk.kty === "EC") {
    const alg = EC_ALG_BY_CURVE[String(jwk.crv)];
    if (!alg) return `unsupported curve ${String(jwk.crv)}`;
    algorithms = [alg];
  } else if (jwk.kty === "OKP" && jwk.crv === "Ed25519") algorithms = ["EdDSA"];
  else return `unsupported key type ${String(jwk.kty)}${jwk.crv ? `/${String(jwk.crv)}` : ""}`;
  if (typeof jwk.alg === "string") {
    if (!algorithms.includes(jwk.alg)) return `alg ${jwk.alg} does not fit a ${String(jwk.kty)} key`;
    algorithms = [jwk.alg];
  }
  let key: KeyObject;
  try {
    const { kty, n, e, crv, x, y } = jwk as Record<string, string>;
    const material = kty === "RSA" ? { kty, n, e } : kty === "EC" ? { kty, crv, x, y } : { kty, crv, x };
    key = createPublicKey({ key: material as never, format: "jwk" });
  } catch (error) {
    return `invalid key: ${(error as Error).message}`;
  }
  if (key.asymmetricKeyType === "rsa" && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) {
    return `RSA key shorter than ${MIN_RSA_BITS} bits`;
  }
  return { kid: typeof jwk.kid === "string" ? jwk.kid : null, key, algorithms: new Set(algorithms) };
}
