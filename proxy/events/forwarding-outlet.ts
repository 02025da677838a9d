// A cluster worker's event outlet: the primary owns the portal connection, so a
// worker collects its sampled events and counters and hands them over once a
// second in one IPC message (not one per request), dropping the oldest if the
// primary falls behind.

import type { SecurityEvent, SecurityEventCounter } from "@/lib/policy-spec";
import type { EventOutlet } from "../server/decision-log.js";
import { BoundedQueue } from "./event-queue.js";
import { MinuteCounters } from "./minute-counters.js";

export interface ForwardedEvents {
  type: "events";
  events: SecurityEvent[];
  counters: SecurityEventCounter[];
  dropped: number;
}

export class ForwardingOutlet implements EventOutlet {
  private readonly queue: BoundedQueue<SecurityEvent>;
  private readonly counters = new MinuteCounters();
  private dropped = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly send: (message: ForwardedEvents) => void,
    capacity = 5000,
    everyMs = 1000,
  ) {
    this.queue = new BoundedQueue(capacity);
    this.timer = setInterval(() => this.forward(), everyMs);
    this.timer.unref();
  }

  offer(events: readonly SecurityEvent[], counters: readonly SecurityEventCounter[], dropped: number): void {
    for (const event of events) this.queue.push(event);
    this.counters.merge(counters);
    this.dropped += dropped;
  }

  forward(): void {
    const dropped = this.dropped + this.queue.takeDropped() + this.counters.dropped;
    if (this.queue.size === 0 && this.counters.size === 0 && dropped === 0) return;
    this.dropped = 0;
    this.counters.dropped = 0;
    this.send({ type: "events", events: this.queue.take(this.queue.size), counters: this.counters.take(), dropped });
  }

  close(): void {
    clearInterval(this.timer);
    this.forward();
  }
}
