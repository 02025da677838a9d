"use client";
import { SecretShownOnce } from "@/components/secret-shown-once";

/** A proxy target's token, shown once after creation or rotation, with how to use it. */
export function NewDeliveryToken({ targetName, token, portalUrl, onDone }: { targetName: string; token: string; portalUrl: string; onDone: () => void }) {
  return (
    <SecretShownOnce id="new-delivery-token" heading={<>Token for “{targetName}”</>} label="Delivery token" value={token} onDone={onDone}>
      <p>
        Start the proxy with <code className="mono">--portal {portalUrl} --token {"<token>"}</code> and pin the public key shown on this page.
      </p>
    </SecretShownOnce>
  );
}
