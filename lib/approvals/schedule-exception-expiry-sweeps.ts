// No "server-only" marker: lib/cli/serve.ts runs this beside Next.js, not inside it.
import { sweepExceptionExpiry } from "./sweep-exception-expiry";

/**
 * Runs the exception expiry sweep in this portal process every `intervalMs` (first after
 * a short random delay, so replicas started together do not all try at once). Every
 * replica may run it: the sweep itself makes sure one sweeps at a time and nothing is
 * sent twice. A failed sweep is logged and retried at the next tick; it never stops the
 * portal. Returns a function that stops the ticks.
 */
export function scheduleExceptionExpirySweeps({
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
      const { swept, sent } = await sweepExceptionExpiry();
      if (swept && sent.length > 0) log(`[exceptions] expiry sweep: ${sent.length} notice(s) sent`);
    } catch (error) {
      log(`[exceptions] expiry sweep failed, retrying at the next tick: ${error instanceof Error ? error.message : String(error)}`);
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
