// Token buckets keyed by name: each holds up to `capacity` tokens and refills at
// `perMs` tokens per millisecond. One instance serves a whole proxy instance:
// in a single process it sits beside the middleware, with cluster workers it
// lives in the primary (rate-limit-store.ts), so a limit means the same thing
// whatever the worker count.

export interface TakeRequest {
  /** Route, limit, its parameters and the client key: a policy change that alters a limit starts a fresh bucket. */
  bucket: string;
  capacity: number;
  perMs: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Seconds until a token is back (meaningful when refused). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

const MAX_BUCKETS = 100_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly maxBuckets = MAX_BUCKETS) {}

  get size(): number {
    return this.buckets.size;
  }

  take({ bucket: name, capacity, perMs }: TakeRequest, at: number): TakeResult {
    let bucket = this.buckets.get(name);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxBuckets) this.evictOldest();
      bucket = { tokens: capacity, updated: at };
      this.buckets.set(name, bucket);
    } else {
      bucket.tokens = Math.min(capacity, bucket.tokens + Math.max(0, at - bucket.updated) * perMs);
      bucket.updated = at;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
  }

  /** Drops the oldest tenth of the buckets (Map order is insertion order), so one flood cannot reset every counter. */
  private evictOldest(): void {
    let drop = Math.ceil(this.buckets.size / 10);
    for (const key of this.buckets.keys()) {
      this.buckets.delete(key);
      if (--drop <= 0) break;
    }
  }
}
