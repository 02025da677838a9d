// Delivery keys for tests: a fresh Ed25519 signing key and AES-256 encryption key, as the
// environment variables the portal reads (lib/env.ts). Tests never depend on a developer's
// own keys, and a test file may delete them to prove what fails closed without them.
import { generateKeyPairSync, randomBytes } from "node:crypto";

export function testDeliveryKeys(): { RAMPART_SIGNING_KEY: string; RAMPART_ENCRYPTION_KEY: string } {
  const { privateKey } = generateKeyPairSync("ed25519");
  return {
    RAMPART_SIGNING_KEY: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    RAMPART_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  };
}
