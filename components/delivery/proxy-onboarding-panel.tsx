"use client";
import { useState } from "react";
import { PORTAL_KEY_FILE, proxyOnboarding, SIGNING_KEY_PEM_PATH, type OnboardingTarget } from "@/lib/delivery/proxy-onboarding";
import styles from "./delivery.module.css";

/**
 * How to connect a proxy to a target, ready to copy: the shell commands (with the token
 * when it was just issued), the gateway config, and a Kubernetes container. The public key
 * downloads as a file.
 */
export function ProxyOnboardingPanel({ portalUrl, target, token }: { portalUrl: string; target: OnboardingTarget; token?: string }) {
  const onboarding = proxyOnboarding({ portalUrl, target, token });
  return (
    <div className={styles.onboarding} data-testid="proxy-onboarding">
      <p>
        <a className="button button-secondary button-small" href={SIGNING_KEY_PEM_PATH} download={PORTAL_KEY_FILE}>
          Download the public key ({PORTAL_KEY_FILE})
        </a>
      </p>
      <Snippet label={`Connect a proxy to ${target.name}`} text={onboarding.shell} />
      {onboarding.gatewayConfig ? <Snippet label="gateway.yaml" text={onboarding.gatewayConfig} /> : null}
      <details>
        <summary>In Kubernetes ({target.mode === "microgateway" ? "sidecar container" : "gateway container"})</summary>
        <Snippet label="Kubernetes container" text={onboarding.kubernetes} />
      </details>
    </div>
  );
}

function Snippet({ label, text }: { label: string; text: string }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <figure className={styles.snippet}>
      <figcaption>
        <span>{label}</span>
        <button
          type="button"
          className="button button-secondary button-small"
          aria-label={`Copy: ${label}`}
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(text);
              setCopied("copied");
            } catch {
              setCopied("failed");
            }
          }}
        >
          Copy
        </button>
        <span role="status" className="muted">
          {copied === "copied" ? "Copied." : copied === "failed" ? "Select the text and copy it yourself." : ""}
        </span>
      </figcaption>
      <pre className={styles.code} aria-label={label} tabIndex={0}>
        {text}
      </pre>
    </figure>
  );
}
