// Exact counts of every decision per minute × application × family × rule ×
// action, whatever the sampler kept: the portal's charts are drawn from these.
// Bounded: past `maxEntries` distinct keys, new keys are counted as dropped.

import type { SecurityEventAction, SecurityEventCounter } from "@/lib/policy-spec";

const MINUTE = 60_000;

export class MinuteCounters {
  private counts = new Map<string, SecurityEventCounter>();
  /** Decisions not counted because the table was full. */
  dropped = 0;

  constructor(private readonly maxEntries = 5000) {}

  add(now: number, applicationId: string | null, family: string, ruleId: string, action: SecurityEventAction, count = 1): void {
    const minute = now - (now % MINUTE);
    const key = `${minute}\u0000${applicationId ?? ""}\u0000${family}\u0000${ruleId}\u0000${action}`;
    const entry = this.counts.get(key);
    if (entry) {
      entry.count += count;
      return;
    }
    if (this.counts.size >= this.maxEntries) {
      this.dropped += count;
      return;
    }
    this.counts.set(key, { minute: new Date(minute).toISOString(), applicationId, family, ruleId, action, count });
  }

  /** Merges counters taken elsewhere (a worker's, a batch that could not be sent). */
  merge(counters: readonly SecurityEventCounter[]): void {
    for (const c of counters) this.add(Date.parse(c.minute), c.applicationId, c.family, c.ruleId, c.action, c.count);
  }

  get size(): number {
    return this.counts.size;
  }

  /** Everything counted so far, and an empty table. */
  take(limit = Number.POSITIVE_INFINITY): SecurityEventCounter[] {
    if (this.counts.size <= limit) {
      const all = [...this.counts.values()];
      this.counts = new Map();
      return all;
    }
    const out: SecurityEventCounter[] = [];
    for (const [key, value] of this.counts) {
      if (out.length >= limit) break;
      out.push(value);
      this.counts.delete(key);
    }
    return out;
  }
}
