import "server-only";
import { sweepKubernetesDrift } from "./sweep-kubernetes-drift";

/**
 * Runs the drift sweep in this portal process every `intervalMs` (first after a short
 * random delay, so replicas started together do not all try at once), the same pattern
 * as the exception expiry sweep (lib/approvals/schedule-exception-expiry-sweeps.ts).
 * Every replica may tick: the sweep takes turns through the database. A failed sweep is
 * logged and retried at the next tick; it never stops the portal. Returns a function
 * that stops the ticks.
 */
export function scheduleKubernetesDriftChecks({
  intervalMs,
  log = (line) => process.stdout.write(`${line}\n`),
}: {
  intervalMs: number;
  log?: (line: string) => void;
}): () => void {
  let running = false;
  const tick = async () => {
    // A slow sweep is never overlapped by the next tick of the same process.
    if (running) return;
    running = true;
    try {
      const { swept, checked } = await sweepKubernetesDrift({ minAgeMs: Math.floor(intervalMs / 2) });
      const drifted = checked.filter((c) => c.state !== "in-sync");
      if (swept && drifted.length > 0) log(`[kubernetes] drift sweep: ${drifted.length} of ${checked.length} target(s) drifted or could not be checked`);
    } catch (error) {
      log(`[kubernetes] drift sweep failed, retrying at the next tick: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), 5_000 + Math.floor(Math.random() * 10_000));
  const every = setInterval(() => void tick(), intervalMs);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
