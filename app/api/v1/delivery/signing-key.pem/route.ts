// GET /api/v1/delivery/signing-key.pem — the public key as a file for the proxy's --portal-key
import { handleOperation } from "@/lib/api/handle-operation";
import { getDeliverySigningKeyPemOperation } from "@/lib/api/operations";
import { getSigningKeyInfo } from "@/lib/delivery/get-signing-key-info";

export const GET = handleOperation(getDeliverySigningKeyPemOperation, async () => {
  const key = getSigningKeyInfo();
  return new Response(key.publicKeyPem.endsWith("\n") ? key.publicKeyPem : `${key.publicKeyPem}\n`, {
    headers: {
      "content-type": "application/x-pem-file",
      "content-disposition": `attachment; filename="rampart-portal-key.pem"`,
      "x-rampart-key-id": key.keyId,
    },
  });
});
