// Bounded cost under attack: per rule × path × client, the first `perInterval`
// decisions of each interval are kept in full and the rest only counted. The
// decision log and event shipping read the same verdict, so what an operator
// sees on disk and in the portal is the same sample. The number of keys per
// interval is capped too (a distributed attack brings many clients): past the
// cap every decision is counted under one overflow key, so memory and output
// per interval are bounded whatever the traffic.

export interface SamplerOptions {
  /** Decisions kept in full per key and interval; 0 turns sampling off (every decision in full). */
  perInterval: number;
  intervalMs: number;
  /** Distinct keys tracked per interval; beyond, decisions are only counted. */
  maxKeys: number;
}

export interface SuppressedCount {
  ruleId: string;
  path: string;
  clientIp: string;
  /** Decisions of the interval that were counted, not kept in full. */
  suppressed: number;
  intervalStart: number;
}

export const OVERFLOW_KEY = "*";

interface Entry {
  ruleId: string;
  path: string;
  clientIp: string;
  seen: number;
}

export class DecisionSampler {
  private entries = new Map<string, Entry>();
  private intervalStart: number;
  private overflow = 0;

  constructor(
    private readonly options: SamplerOptions,
    now: number = Date.now(),
  ) {
    this.intervalStart = now - (now % options.intervalMs);
  }

  /**
   * Whether this decision is kept in full. When `now` has left the current interval,
   * the ended interval's counts are returned through `onIntervalEnd` first.
   */
  admit(ruleId: string, path: string, clientIp: string, now: number, onIntervalEnd?: (counts: SuppressedCount[]) => void): boolean {
    if (this.options.perInterval === 0) return true;
    if (now - this.intervalStart >= this.options.intervalMs) {
      const ended = this.rotate(now);
      if (ended.length > 0) onIntervalEnd?.(ended);
    }
    const key = `${ruleId}\u0000${path}\u0000${clientIp}`;
    let entry = this.entries.get(key);
    if (entry === undefined) {
      if (this.entries.size >= this.options.maxKeys) {
        this.overflow++;
        return false;
      }
      entry = { ruleId, path, clientIp, seen: 0 };
      this.entries.set(key, entry);
    }
    entry.seen++;
    return entry.seen <= this.options.perInterval;
  }

  /** Ends the interval if `now` is past it (called by a timer, so a quiet proxy still reports its last counts). */
  tick(now: number): SuppressedCount[] {
    return now - this.intervalStart >= this.options.intervalMs ? this.rotate(now) : [];
  }

  /** The current interval's counts so far, and a fresh interval (shutdown). */
  drain(now: number): SuppressedCount[] {
    return this.rotate(now);
  }

  private rotate(now: number): SuppressedCount[] {
    const start = this.intervalStart;
    const out: SuppressedCount[] = [];
    for (const entry of this.entries.values()) {
      if (entry.seen > this.options.perInterval)
        out.push({ ruleId: entry.ruleId, path: entry.path, clientIp: entry.clientIp, suppressed: entry.seen - this.options.perInterval, intervalStart: start });
    }
    if (this.overflow > 0) out.push({ ruleId: OVERFLOW_KEY, path: OVERFLOW_KEY, clientIp: OVERFLOW_KEY, suppressed: this.overflow, intervalStart: start });
    this.entries = new Map();
    this.overflow = 0;
    this.intervalStart = now - (now % this.options.intervalMs);
    return out;
  }
}
