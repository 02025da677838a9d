import { createHash, randomBytes } from "node:crypto";

// Sessions and API tokens are random secrets; only their SHA-256 is stored, so a
// database leak yields nothing that can be replayed.
export function generateSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
