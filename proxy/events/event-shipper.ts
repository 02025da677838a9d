// Sends security events and per-minute counters to the portal, off the request
// path: requests only push into a bounded queue (event-queue.ts) and a counter
// table (minute-counters.ts); a timer builds batches, gzips them and POSTs them
// (lib/policy-spec/security-events-schema.ts). A batch keeps its id until the
// portal acknowledged it, so a resend after a timeout is stored once. A 429 is
// waited out for its Retry-After; an outage or a 5xx backs off with full jitter
// (runtime/backoff.ts) while the queue keeps the newest events.

import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";
import { SECURITY_EVENT_BATCH_LIMITS, type SecurityEvent, type SecurityEventBatch, type SecurityEventCounter } from "@/lib/policy-spec";
import type { EventsAnswer } from "../policy/delivery-client.js";
import { fullJitterDelay, type BackoffOptions } from "../runtime/backoff.js";
import { BoundedQueue } from "./event-queue.js";
import { MinuteCounters } from "./minute-counters.js";

const gzip = promisify(gzipCallback);

export interface EventTransport {
  postEvents(gzipped: Buffer, timeoutMs: number, signal?: AbortSignal): Promise<EventsAnswer>;
}

export interface EventShipperOptions {
  transport: EventTransport;
  instanceId: string;
  /** Events kept while the portal is unreachable (default 10,000). */
  queueCapacity?: number;
  /** Events per batch (default 500). */
  batchSize?: number;
  /** How often a batch is sent when fewer than batchSize events wait (default 1 s). */
  flushMs?: number;
  timeoutMs?: number;
  backoff?: BackoffOptions;
  random?: () => number;
  log?: (event: string, fields: Record<string, unknown>) => void;
}

export interface ShipperStats {
  queued: number;
  droppedTotal: number;
  eventsSent: number;
  batchesSent: number;
  /** Consecutive failed sends (0 when the last one went through). */
  failures: number;
}

export class EventShipper {
  private readonly queue: BoundedQueue<SecurityEvent>;
  private readonly counters = new MinuteCounters();
  /** Dropped by workers or the counter table, not yet reported. */
  private droppedElsewhere = 0;
  /** The batch being sent, kept (with its id) until the portal acknowledged it. */
  private pending: { batch: SecurityEventBatch; body: Buffer } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private sending = false;
  private notBefore = 0;
  private failures = 0;
  private eventsSent = 0;
  private batchesSent = 0;
  private readonly abort = new AbortController();
  private readonly batchSize: number;
  private readonly flushMs: number;

  constructor(private readonly options: EventShipperOptions) {
    this.queue = new BoundedQueue(options.queueCapacity ?? 10_000);
    this.batchSize = Math.min(options.batchSize ?? 500, SECURITY_EVENT_BATCH_LIMITS.events);
    this.flushMs = options.flushMs ?? 1000;
  }

  /** Called on the request path (through the decision log): constant work, never I/O. */
  offer(events: readonly SecurityEvent[], counters: readonly SecurityEventCounter[] = [], dropped = 0): void {
    for (const event of events) this.queue.push(event);
    if (counters.length > 0) this.counters.merge(counters);
    this.droppedElsewhere += dropped;
    if (this.queue.size >= this.batchSize) this.kick();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.flushMs);
    this.timer.unref();
  }

  /** Stops the timer; with `drainMs`, tries to send what waits for up to that long first. */
  async stop(drainMs = 0): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const deadline = Date.now() + drainMs;
    while (Date.now() < deadline && (this.pending !== null || this.queue.size > 0 || this.counters.size > 0)) {
      if (!this.sending) {
        this.notBefore = 0;
        await this.sendOnce();
        if (this.failures > 0) break;
      } else await new Promise((r) => setTimeout(r, 20));
    }
    this.abort.abort();
  }

  stats(): ShipperStats {
    return {
      queued: this.queue.size,
      droppedTotal: this.queue.droppedTotal,
      eventsSent: this.eventsSent,
      batchesSent: this.batchesSent,
      failures: this.failures,
    };
  }

  private kick(): void {
    if (this.sending || Date.now() < this.notBefore) return;
    void this.sendOnce().then(() => {
      // Keep up with a burst: send again at once while full batches wait and the portal accepts.
      if (this.failures === 0 && this.queue.size >= this.batchSize) setImmediate(() => this.kick());
    });
  }

  private async sendOnce(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      if (this.pending === null) {
        const events = this.queue.take(this.batchSize);
        const counters = this.counters.take(SECURITY_EVENT_BATCH_LIMITS.counters);
        const dropped = this.queue.takeDropped() + this.droppedElsewhere + this.counters.dropped;
        this.droppedElsewhere = 0;
        this.counters.dropped = 0;
        if (events.length === 0 && counters.length === 0 && dropped === 0) return;
        const batch: SecurityEventBatch = { batchId: randomUUID(), instanceId: this.options.instanceId, events, counters, dropped };
        this.pending = { batch, body: await gzip(JSON.stringify(batch)) };
      }
      let answer: EventsAnswer;
      try {
        answer = await this.options.transport.postEvents(this.pending.body, this.options.timeoutMs ?? 10_000, this.abort.signal);
      } catch (error) {
        this.failed(null, (error as Error).message);
        return;
      }
      if (answer.status >= 200 && answer.status < 300) {
        this.eventsSent += this.pending.batch.events.length;
        this.batchesSent++;
        this.pending = null;
        this.failures = 0;
        this.notBefore = 0;
      } else if (answer.status === 429) {
        // The portal is shedding load: wait as told (the same batch goes again), not counted as an outage.
        this.notBefore = Date.now() + (answer.retryAfterMs ?? fullJitterDelay(this.failures, this.backoff(), this.options.random));
      } else if (answer.status === 400 || answer.status === 413 || answer.status === 422) {
        // A batch the portal will never take: resending it would block everything behind it.
        this.options.log?.("events-batch-refused", { status: answer.status, events: this.pending.batch.events.length });
        this.pending = null;
      } else this.failed(answer.status, `portal answered ${answer.status}`);
    } finally {
      this.sending = false;
    }
  }

  private failed(status: number | null, message: string): void {
    const delay = fullJitterDelay(this.failures, this.backoff(), this.options.random);
    this.failures++;
    this.notBefore = Date.now() + delay;
    if (this.failures === 1 || this.failures % 10 === 0)
      this.options.log?.("events-send-failed", { status, message, retryInMs: delay, queued: this.queue.size });
  }

  private backoff(): BackoffOptions {
    return this.options.backoff ?? { baseMs: 1000, capMs: 60_000 };
  }
}
