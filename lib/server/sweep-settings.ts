// How often the maintenance sweeps started by lib/cli/serve.ts tick, read from one table
// so that serving and the worker supervisor agree on the variables: serve.ts reads them
// (a bad value stops the process naming the variable), and the supervisor turns every one
// of them off in all workers but the first (the sweeps take turns through the database
// anyway; one worker ticking is enough).

const SWEEP_DEFAULTS = {
  /** Warn teams of expiring deny-rule exceptions. */
  EXCEPTION_EXPIRY_SWEEP_SECONDS: 300,
  /** Send teams' webhook notices from the outbox. */
  WEBHOOK_SWEEP_SECONDS: 30,
} as const;

export type SweepSettings = Record<keyof typeof SWEEP_DEFAULTS, number>;

/** Every sweep's interval in seconds (0: off in this process); throws naming the first bad variable. */
export function readSweepSettings(env: Record<string, string | undefined>): SweepSettings {
  const settings = {} as SweepSettings;
  for (const [name, fallback] of Object.entries(SWEEP_DEFAULTS) as [keyof SweepSettings, number][]) {
    const raw = env[name];
    const seconds = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(seconds) || seconds < 0) throw new Error(`${name} must be a whole number of seconds (0: off), not ${raw}`);
    settings[name] = seconds;
  }
  return settings;
}

/** The environment that turns every sweep off in a process (the workers after the first). */
export function sweepsOffEnv(): Record<string, string> {
  return Object.fromEntries(Object.keys(SWEEP_DEFAULTS).map((name) => [name, "0"]));
}
