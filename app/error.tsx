"use client";
import { ErrorPanel } from "@/components/error-panel";

// Errors outside the portal shell (sign-in, the shell itself).
export default function RootError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="main" className="standalone" tabIndex={-1}>
      <ErrorPanel digest={error.digest} onRetry={reset} />
    </main>
  );
}
