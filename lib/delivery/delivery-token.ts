import { generateSecret, hashSecret } from "@/lib/auth/secret-token";

// A proxy target's token: a random secret shown once, of which only the SHA-256 is stored.
// Its prefix tells it apart from user API tokens (rpt_) in logs and secret scanners.
export const DELIVERY_TOKEN_PREFIX = "rdt_";

export function newDeliveryToken(): { token: string; tokenHash: string; tokenPrefix: string } {
  const token = `${DELIVERY_TOKEN_PREFIX}${generateSecret()}`;
  return { token, tokenHash: hashSecret(token), tokenPrefix: token.slice(0, DELIVERY_TOKEN_PREFIX.length + 6) };
}
