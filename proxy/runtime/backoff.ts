// Reconnect delays. "Full jitter": a uniformly random delay below the
// exponential ceiling, so a thousand proxies that lost the portal at the same
// instant (a portal restart) spread their reconnects over the whole window
// instead of arriving together at every step.

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

/** The delay before retry number `attempt` (0 for the first retry). */
export function fullJitterDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Half fixed, half random: for slow retries (a revoked token) that must never become a tight loop. */
export function equalJitterDelay(ms: number, random: () => number = Math.random): number {
  return Math.floor(ms / 2 + random() * (ms / 2));
}
