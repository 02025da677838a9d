// No "server-only" marker: the webhook sweep (lib/webhooks) decrypts team secrets in
// lib/cli/serve.ts's process, beside Next.js. Nothing here reaches a browser bundle:
// components may not import lib/ domains (ESLint), and node:crypto would not build there.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";

// Secrets at rest (a cluster's kubeconfig, a repository's credentials, a team's webhook
// signing secret): AES-256-GCM under
// RAMPART_ENCRYPTION_KEY. Layout: version byte, 12-byte nonce, 16-byte tag, ciphertext.
// The associated data names the row and what the secret is, so a ciphertext copied onto
// another target (or from the kubeconfig slot to the credentials slot) does not decrypt.

const FORMAT_V1 = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

function encryptionKey(): Buffer {
  const configured = env().RAMPART_ENCRYPTION_KEY;
  if (!configured) {
    throw new AppError(
      "SERVICE_UNAVAILABLE",
      "RAMPART_ENCRYPTION_KEY is not set, so secrets cannot be stored or read: nothing was saved. Set it to 32 random bytes in base64 (npm start generates one).",
      { details: { missing: "RAMPART_ENCRYPTION_KEY" } },
    );
  }
  return Buffer.from(configured.trim(), "base64");
}

export function encryptSecret(plaintext: string, associatedData: string): Buffer {
  const key = encryptionKey();
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT_V1]), nonce, cipher.getAuthTag(), ciphertext]);
}

/** The plaintext, or an error: a tampered ciphertext, another key or other associated data never yield anything. */
export function decryptSecret(blob: Uint8Array, associatedData: string): string {
  const key = encryptionKey();
  const bytes = Buffer.from(blob);
  if (bytes.length < 1 + NONCE_BYTES + TAG_BYTES || bytes[0] !== FORMAT_V1) {
    throw new AppError("INTERNAL", "A stored secret is not in a format this portal can read.");
  }
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
  const tag = bytes.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", key, nonce);
  decipher.setAAD(Buffer.from(associatedData, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(bytes.subarray(1 + NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch (cause) {
    throw new AppError(
      "INTERNAL",
      "A stored secret failed its integrity check (tampered, or encrypted under another RAMPART_ENCRYPTION_KEY); it is not used.",
      {
        cause,
      },
    );
  }
}

export const FINGERPRINT_PREFIX = "hmac-sha256:";

/**
 * What the API shows instead of a secret: that one is stored, and which (so a change is
 * visible). An HMAC under a key derived from RAMPART_ENCRYPTION_KEY (HKDF, its own label),
 * not a plain hash: a plain hash of a short password or token can be guessed offline by
 * anyone who sees it; this one only by someone who also holds the server's key.
 */
export function secretFingerprint(plaintext: string): string {
  const key = Buffer.from(hkdfSync("sha256", encryptionKey(), Buffer.alloc(0), "rampart/secret-fingerprint/v1", 32));
  return `${FINGERPRINT_PREFIX}${createHmac("sha256", key).update(plaintext, "utf8").digest("hex").slice(0, 32)}`;
}
