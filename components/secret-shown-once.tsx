"use client";
import { useEffect, useRef, useState, type ReactNode } from "react";

/**
 * A secret the API returns once (an API token, a proxy target's token): focused when it
 * appears, selectable, with a copy button and what to do next. Rampart keeps only a hash,
 * so the page says so and waits for the user to confirm they stored it.
 */
export function SecretShownOnce({
  id,
  heading,
  label,
  value,
  onDone,
  children,
}: {
  id: string;
  heading: ReactNode;
  label: string;
  value: string;
  onDone: () => void;
  children?: ReactNode;
}) {
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);

  async function copyValue() {
    try {
      await navigator.clipboard.writeText(value);
      setCopy("copied");
    } catch {
      setCopy("failed");
    }
  }

  return (
    <div ref={ref} className="alert alert-success token-secret" role="region" aria-labelledby={`${id}-heading`} tabIndex={-1}>
      <h3 id={`${id}-heading`}>{heading}</h3>
      <p>
        Copy it now. <strong>It will not be shown again</strong>; Rampart keeps only a hash.
      </p>
      <div className="token-value">
        <label htmlFor={`${id}-value`} className="visually-hidden">
          {label}
        </label>
        <input id={`${id}-value`} readOnly value={value} className="mono" onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="button" onClick={copyValue}>
          Copy token
        </button>
      </div>
      <p role="status" className="muted">
        {copy === "copied" ? "Copied to the clipboard." : copy === "failed" ? "Copying failed: select the token and copy it yourself." : ""}
      </p>
      {children}
      <p>
        <button type="button" className="button button-secondary" onClick={onDone}>
          I have stored it
        </button>
      </p>
    </div>
  );
}
