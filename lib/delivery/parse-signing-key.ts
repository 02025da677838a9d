import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";

// The portal's Ed25519 signing key, as operators hand it over: PKCS#8 PEM (what
// `openssl genpkey -algorithm ed25519` writes) or the same DER in base64 (one line,
// easier to put in an environment variable). Anything else is refused, never guessed at.

export function parseEd25519PrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith("-----BEGIN")
    ? createPrivateKey({ key: trimmed, format: "pem" })
    : createPrivateKey({ key: Buffer.from(trimmed, "base64"), format: "der", type: "pkcs8" });
  if (key.asymmetricKeyType !== "ed25519") throw new Error(`the key is ${key.asymmetricKeyType ?? "unknown"}, not Ed25519`);
  return key;
}

/**
 * The key id a signature names when none is configured: derived from the public key, so
 * the same key always has the same id and a new key a new one (proxies can pin either).
 */
export function defaultSigningKeyId(privateKey: KeyObject): string {
  const spki = createPublicKey(privateKey).export({ format: "der", type: "spki" });
  return `ed25519-${createHash("sha256").update(spki).digest("hex").slice(0, 16)}`;
}
