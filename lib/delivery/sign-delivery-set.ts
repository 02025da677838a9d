import "server-only";
import { sign } from "node:crypto";
import type { DeliverySet, SignedBundle } from "@/lib/policy-spec";
import { BoundedMemo } from "./bounded-memo";
import { deliverySetPayload } from "./delivery-set-hash";
import { getSigningKey } from "./signing-key";

// The same set signed with the same key gives the same envelope (Ed25519 is deterministic),
// so an envelope is memoised by content hash and key: proxies waking together sign once.
const envelopes = new BoundedMemo<SignedBundle>(200);

/**
 * The signed envelope of a delivery set: its canonical JSON as the payload (the exact bytes
 * signed), `sha256:` + the SHA-256 of those bytes, and an Ed25519 signature over them.
 * Throws SERVICE_UNAVAILABLE without a signing key: never an unsigned set.
 */
export function signDeliverySet(set: DeliverySet): SignedBundle {
  const key = getSigningKey();
  const { payload, contentHash } = deliverySetPayload(set);
  return envelopes.getOrCreate(`${key.keyId}|${contentHash}`, () => ({
    payload,
    contentHash,
    signature: { algorithm: "ed25519", keyId: key.keyId, value: sign(null, Buffer.from(payload, "utf8"), key.privateKey).toString("base64") },
  }));
}
