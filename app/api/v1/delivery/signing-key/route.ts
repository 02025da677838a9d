// GET /api/v1/delivery/signing-key — the public key proxies pin to verify delivery sets
import { handleOperation } from "@/lib/api/handle-operation";
import { getDeliverySigningKeyOperation } from "@/lib/api/operations";
import { getSigningKeyInfo } from "@/lib/delivery/get-signing-key-info";

export const GET = handleOperation(getDeliverySigningKeyOperation, async () => getSigningKeyInfo());
