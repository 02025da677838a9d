import "server-only";
import { getSigningKey } from "./signing-key";

/** The public half of the signing key, for operators to pin in their proxies (503 without a key). */
export function getSigningKeyInfo() {
  const key = getSigningKey();
  return { algorithm: "ed25519" as const, keyId: key.keyId, publicKeyPem: key.publicKeyPem };
}
