// The events waiting to be sent: a ring of fixed capacity that survives a portal
// outage and, when full, drops the oldest (the newest say most about an attack
// in progress), counting what it dropped so the portal can show the gap.

export class BoundedQueue<T> {
  private readonly items: Array<T | undefined>;
  private head = 0;
  private length = 0;
  /** Dropped since the last takeDropped(). */
  private droppedSince = 0;
  /** Dropped since start (metrics). */
  droppedTotal = 0;

  constructor(readonly capacity: number) {
    if (capacity < 1) throw new Error("queue capacity must be at least 1");
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.length;
  }

  push(item: T): void {
    if (this.length === this.capacity) {
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.length--;
      this.droppedSince++;
      this.droppedTotal++;
    }
    this.items[(this.head + this.length) % this.capacity] = item;
    this.length++;
  }

  /** Up to `max` of the oldest items, removed from the queue. */
  take(max: number): T[] {
    const n = Math.min(max, this.length);
    const out: T[] = new Array<T>(n);
    for (let i = 0; i < n; i++) {
      out[i] = this.items[this.head] as T;
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
    }
    this.length -= n;
    return out;
  }

  takeDropped(): number {
    const n = this.droppedSince;
    this.droppedSince = 0;
    return n;
  }
}
