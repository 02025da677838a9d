import "server-only";
import pg from "pg";
import { env } from "@/lib/env";

// Wake-ups for long-polling proxies. Each portal process keeps ONE connection that LISTENs
// on rampart_delivery; database triggers NOTIFY it in the transaction of every change that
// can alter a delivery set (see the delivery_targets migration), so a publication through
// any replica wakes the polls waiting on every replica. A notification only says "look
// again": the waiting requests recompute their set (memoised, so cheaply) and answer if it
// changed. Notifications sent while the connection is down are lost, so every (re)connect
// counts as one: everybody re-checks.

export const DELIVERY_CHANNEL = "rampart_delivery";
// The payload of a notification on the same channel that says "who may sign in as what has
// changed" (a token or session revoked, a user disabled, a membership changed; see the
// auth_cache_notify migration), for lib/auth/credential-cache.ts. It wakes no long poll.
export const AUTH_CHANGED_PAYLOAD = "auth";

export type WakeReason = "changed" | "timeout" | "aborted";

type Waiter = { since: number; wake: (reason: WakeReason) => void };

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;

export class DeliveryListener {
  /** Bumped by every notification and every (re)connect: a caller compares it with the value it started from. */
  generation = 0;
  private client: pg.Client | null = null;
  private connecting = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;
  private readonly waiters = new Set<Waiter>();
  private readonly authWatchers = new Set<() => void>();

  constructor(private readonly connectionString: () => string) {}

  get connected(): boolean {
    return this.client !== null;
  }

  /** Starts listening unless it already does (or is about to). */
  start(): void {
    this.stopped = false;
    if (this.client || this.connecting || this.reconnectTimer) return;
    void this.connect();
  }

  /** Resolves when something changed after `since`, after `timeoutMs`, or when `signal` aborts. */
  wait({ since, timeoutMs, signal }: { since: number; timeoutMs: number; signal?: AbortSignal }): Promise<WakeReason> {
    if (this.generation > since) return Promise.resolve("changed");
    if (signal?.aborted) return Promise.resolve("aborted");
    return new Promise((resolve) => {
      const waiter: Waiter = {
        since,
        wake: (reason) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          this.waiters.delete(waiter);
          resolve(reason);
        },
      };
      const onAbort = () => waiter.wake("aborted");
      const timer = setTimeout(() => waiter.wake("timeout"), Math.max(0, timeoutMs));
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.add(waiter);
    });
  }

  /**
   * Calls `watch` on every notification that sign-in state changed, and on every
   * (re)connect (what was notified while not listening is lost). Returns the unsubscribe.
   */
  onAuthChange(watch: () => void): () => void {
    this.authWatchers.add(watch);
    return () => this.authWatchers.delete(watch);
  }

  get waiting(): number {
    return this.waiters.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private bump() {
    this.generation += 1;
    for (const waiter of [...this.waiters]) waiter.wake("changed");
  }

  private authChanged() {
    for (const watch of [...this.authWatchers]) watch();
  }

  private async connect() {
    this.connecting = true;
    const client = new pg.Client({ connectionString: this.connectionString(), connectionTimeoutMillis: 5_000, keepAlive: true });
    client.on("notification", (message) => {
      if (message.channel !== DELIVERY_CHANNEL) return;
      if (message.payload === AUTH_CHANGED_PAYLOAD) this.authChanged();
      else this.bump();
    });
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${DELIVERY_CHANNEL}`);
      if (this.stopped) {
        await client.end().catch(() => {});
        return;
      }
      this.client = client;
      this.failures = 0;
      // Whatever was notified while we were not listening is lost: everybody re-checks.
      this.bump();
      this.authChanged();
    } catch (error) {
      client.removeAllListeners("end");
      await client.end().catch(() => {});
      this.scheduleReconnect(error);
    } finally {
      this.connecting = false;
    }
  }

  private lost(client: pg.Client, error?: Error) {
    if (this.client !== client) return;
    this.client = null;
    // Not listening: changes may go unheard, so nothing cached on the strength of them stays.
    this.authChanged();
    void client.end().catch(() => {});
    this.scheduleReconnect(error);
  }

  private scheduleReconnect(error?: unknown) {
    if (this.stopped || this.reconnectTimer) return;
    this.failures += 1;
    // Exponential backoff with jitter, so replicas that lost the database together do not reconnect in lockstep.
    const ceiling = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** (this.failures - 1));
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    if (this.failures === 1 || this.failures % 10 === 0) {
      console.warn(`[delivery] listener connection lost (${error instanceof Error ? error.message : "closed"}); reconnecting in ${delay} ms`);
    }
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }
}

// One per process: Next.js may evaluate this module once per route bundle, so the instance
// lives on globalThis (as the database client does).
const holder = globalThis as unknown as { rampartDeliveryListener?: DeliveryListener };

export function deliveryListener(): DeliveryListener {
  holder.rampartDeliveryListener ??= new DeliveryListener(() => env().DATABASE_URL);
  const listener = holder.rampartDeliveryListener;
  listener.start();
  return listener;
}

/** For tests and shutdown: closes the listening connection. */
export async function stopDeliveryListener(): Promise<void> {
  await holder.rampartDeliveryListener?.stop();
  delete holder.rampartDeliveryListener;
}
