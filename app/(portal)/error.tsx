"use client";
import { ErrorPanel } from "@/components/error-panel";

// Errors in a portal page: shown inside the shell, so navigation keeps working.
export default function PortalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorPanel digest={error.digest} onRetry={reset} />;
}
