// No "server-only" marker: lib/cli/serve.ts runs sweeps beside Next.js, not inside it.

/**
 * Runs a maintenance sweep in this portal process every `intervalMs`, first after a short
 * random delay so replicas started together do not all try at once. Every replica may
 * tick: each sweep takes turns through the database (an advisory lock) and records what
 * it did under unique keys, so nothing is done twice. A tick never overlaps a slow sweep
 * of the same process; a failed sweep is logged and retried at the next tick and never
 * stops the portal. Returns a function that stops the ticks.
 */
export function scheduleSweep({
  name,
  intervalMs,
  sweep,
  log = (line) => process.stdout.write(`${line}\n`),
}: {
  name: string;
  intervalMs: number;
  /** Returns a line worth logging, or null. */
  sweep: () => Promise<string | null>;
  log?: (line: string) => void;
}): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const line = await sweep();
      if (line !== null) log(`[${name}] ${line}`);
    } catch (error) {
      log(`[${name}] sweep failed, retrying at the next tick: ${error instanceof Error ? error.message : String(error)}`);
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
