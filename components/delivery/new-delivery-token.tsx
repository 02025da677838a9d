"use client";
import { useEffect, useRef, useState } from "react";

/** A proxy target's token, shown once after creation or rotation, with how to use it. */
export function NewDeliveryToken({ targetName, token, portalUrl, onDone }: { targetName: string; token: string; portalUrl: string; onDone: () => void }) {
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);

  async function copyToken() {
    try {
      await navigator.clipboard.writeText(token);
      setCopy("copied");
    } catch {
      setCopy("failed");
    }
  }

  return (
    <div ref={ref} className="alert alert-success token-secret" role="region" aria-labelledby="new-delivery-token-heading" tabIndex={-1}>
      <h3 id="new-delivery-token-heading">Token for “{targetName}”</h3>
      <p>
        Copy it now. <strong>It will not be shown again</strong>; Rampart keeps only a hash.
      </p>
      <div className="token-value">
        <label htmlFor="new-delivery-token-value" className="visually-hidden">
          Delivery token
        </label>
        <input id="new-delivery-token-value" readOnly value={token} className="mono" onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="button" onClick={copyToken}>
          Copy token
        </button>
      </div>
      <p role="status" className="muted">
        {copy === "copied" ? "Copied to the clipboard." : copy === "failed" ? "Copying failed: select the token and copy it yourself." : ""}
      </p>
      <p>
        Start the proxy with <code className="mono">--portal {portalUrl} --token {"<token>"}</code> and pin the public key shown on this page.
      </p>
      <p>
        <button type="button" className="button button-secondary" onClick={onDone}>
          I have stored it
        </button>
      </p>
    </div>
  );
}
