import { createHash } from "node:crypto";
import { canonicalJson, type DeliverySet } from "@/lib/policy-spec";

/** The canonical bytes of a set and their content hash, exactly as the signed envelope carries them. */
export function deliverySetPayload(set: DeliverySet): { payload: string; contentHash: string } {
  const payload = canonicalJson(set);
  return { payload, contentHash: `sha256:${createHash("sha256").update(payload, "utf8").digest("hex")}` };
}
