"use client";
import { SecretShownOnce } from "@/components/secret-shown-once";
import type { OnboardingTarget } from "@/lib/delivery/proxy-onboarding";
import { ProxyOnboardingPanel } from "./proxy-onboarding-panel";

/** A proxy target's token, shown once after creation or rotation, with the complete command that uses it. */
export function NewDeliveryToken({ target, token, portalUrl, onDone }: { target: OnboardingTarget; token: string; portalUrl: string; onDone: () => void }) {
  return (
    <SecretShownOnce id="new-delivery-token" heading={<>Token for “{target.name}”</>} label="Delivery token" value={token} onDone={onDone}>
      <p>Start a proxy with these commands: the token goes through the environment, the public key is pinned from a file.</p>
      <ProxyOnboardingPanel portalUrl={portalUrl} target={target} token={token} />
    </SecretShownOnce>
  );
}
