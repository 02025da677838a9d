"use client";
import { useState } from "react";

/** Copies this page's address: the result link carries all answers, so it is the share link. */
export function CopyLinkButton({ label = "Copy link to this result" }: { label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <>
      <button
        type="button"
        className="button button-secondary"
        onClick={async () => {
          try {
            await navigator.clipboard.writeText(window.location.href);
            setState("copied");
          } catch {
            setState("failed");
          }
        }}
      >
        {label}
      </button>
      <span role="status" className="muted">
        {state === "copied" ? "Link copied." : state === "failed" ? "Copying failed: copy the address from the address bar." : ""}
      </span>
    </>
  );
}
