// Where the rate-limit middleware takes its tokens. A single-process proxy
// keeps the buckets in process (synchronous). Cluster workers ask the primary,
// which owns the one set of buckets for the instance: requests are batched per
// event-loop turn into one IPC message, so a burst costs one round trip, not
// one per request. Should the primary not answer in time (overloaded, or the
// worker is being torn down), the worker decides from its own buckets rather
// than stalling traffic, and logs that it did.
//
// Replicas (pods) do not share buckets: a limit holds per proxy instance, so
// behind a load balancer with R replicas a client may reach up to R× the limit.

import { TokenBuckets, type TakeRequest, type TakeResult } from "./token-buckets.js";

export interface RateLimitStore {
  take(request: TakeRequest): TakeResult | Promise<TakeResult>;
}

export function localRateLimitStore(now: () => number = Date.now): RateLimitStore {
  const buckets = new TokenBuckets();
  return { take: (request) => buckets.take(request, now()) };
}

let processStore: RateLimitStore = localRateLimitStore();

/** The store rate limits compiled in this process use; cluster workers switch to the primary's at start-up. */
export function rateLimitStore(): RateLimitStore {
  return processStore;
}

export function setRateLimitStore(store: RateLimitStore): void {
  processStore = store;
}

// --- cluster wiring: the messages between workers and the primary ----------

export interface RateTakeMessage {
  type: "rate-take";
  batch: Array<{ id: number } & TakeRequest>;
}
export interface RateResultMessage {
  type: "rate-result";
  batch: Array<{ id: number } & TakeResult>;
}

/** Primary side: answers a worker's batch from the instance's buckets. */
export function answerRateTake(buckets: TokenBuckets, message: RateTakeMessage, at: number): RateResultMessage {
  return { type: "rate-result", batch: message.batch.map(({ id, ...request }) => ({ id, ...buckets.take(request, at) })) };
}

/** Worker side: a store that asks the primary through `send`; feed the primary's answers to `receive`. */
export function primaryRateLimitStore(
  send: (message: RateTakeMessage) => void,
  options: { timeoutMs?: number; now?: () => number; onFallback?: (pending: number) => void } = {},
): RateLimitStore & { receive(message: RateResultMessage): void } {
  const timeoutMs = options.timeoutMs ?? 250;
  const fallback = new TokenBuckets();
  const now = options.now ?? Date.now;
  const waiting = new Map<number, { request: TakeRequest; resolve: (result: TakeResult) => void }>();
  let queued: RateTakeMessage["batch"] = [];
  let nextId = 0;

  const flush = () => {
    const batch = queued;
    queued = [];
    send({ type: "rate-take", batch });
    const ids = batch.map((entry) => entry.id);
    setTimeout(() => {
      const late = ids.filter((id) => waiting.has(id));
      if (late.length === 0) return;
      options.onFallback?.(late.length);
      for (const id of late) {
        const entry = waiting.get(id)!;
        waiting.delete(id);
        entry.resolve(fallback.take(entry.request, now()));
      }
    }, timeoutMs).unref();
  };

  return {
    take(request) {
      const id = ++nextId;
      if (queued.length === 0) setImmediate(flush);
      queued.push({ id, ...request });
      return new Promise<TakeResult>((resolve) => waiting.set(id, { request, resolve }));
    },
    receive(message) {
      for (const { id, allowed, retryAfterSeconds } of message.batch) {
        const entry = waiting.get(id);
        if (entry === undefined) continue; // answered late: the fallback already decided
        waiting.delete(id);
        entry.resolve({ allowed, retryAfterSeconds });
      }
    },
  };
}
