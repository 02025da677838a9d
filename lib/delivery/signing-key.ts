import "server-only";
import { createPublicKey, type KeyObject } from "node:crypto";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { defaultSigningKeyId, parseEd25519PrivateKey } from "./parse-signing-key";

export type SigningKey = { privateKey: KeyObject; publicKeyPem: string; keyId: string };

let cached: { source: string; keyId: string | undefined; key: SigningKey } | undefined;

/**
 * The portal's Ed25519 signing key from RAMPART_SIGNING_KEY (validated by lib/env.ts).
 * Without one there is nothing to sign with, and an unsigned bundle is never an option:
 * SERVICE_UNAVAILABLE (503), so proxies keep their last good set and retry.
 */
export function getSigningKey(): SigningKey {
  const { RAMPART_SIGNING_KEY: source, RAMPART_SIGNING_KEY_ID: configuredId } = env();
  if (!source) {
    throw new AppError(
      "SERVICE_UNAVAILABLE",
      "No signing key is configured (RAMPART_SIGNING_KEY), so no policy can be delivered; unsigned bundles are never served.",
      {
        details: { missing: "RAMPART_SIGNING_KEY" },
      },
    );
  }
  if (cached?.source === source && cached.keyId === configuredId) return cached.key;
  const privateKey = parseEd25519PrivateKey(source);
  const publicKeyPem = createPublicKey(privateKey).export({ format: "pem", type: "spki" }).toString();
  const key = { privateKey, publicKeyPem, keyId: configuredId ?? defaultSigningKeyId(privateKey) };
  cached = { source, keyId: configuredId, key };
  return key;
}
