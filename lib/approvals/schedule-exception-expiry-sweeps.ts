// No "server-only" marker: lib/cli/serve.ts runs this beside Next.js, not inside it.
import { scheduleSweep } from "@/lib/server/schedule-sweep";
import { sweepExceptionExpiry } from "./sweep-exception-expiry";

/** The exception expiry sweep, every `intervalMs` in this portal process (see scheduleSweep). */
export function scheduleExceptionExpirySweeps({ intervalMs, log }: { intervalMs: number; log?: (line: string) => void }): () => void {
  return scheduleSweep({
    name: "exceptions",
    intervalMs,
    log,
    sweep: async () => {
      const { swept, sent } = await sweepExceptionExpiry();
      return swept && sent.length > 0 ? `expiry sweep: ${sent.length} notice(s) sent` : null;
    },
  });
}
