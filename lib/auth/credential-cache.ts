import "server-only";
import { deliveryListener, type DeliveryListener } from "@/lib/delivery/delivery-listener";

// Authentication results (a credential with its user, memberships and folded grants), kept
// for a few seconds so that a caller's next requests skip the database. Whatever changes
// who may act as what (a token or session revoked, a user disabled or renamed, a membership
// added, changed or removed, a team renamed) makes PostgreSQL notify every portal process on
// the delivery channel (payload "auth", see the auth_cache_notify migration), and each
// process drops its whole cache on the notification. So a change takes effect as soon as
// the notification arrives (milliseconds), and at the latest after RAMPART_AUTH_CACHE_SECONDS
// (default 5 in production): entries are only trusted while the listening connection is up,
// and are dropped whenever it is lost or re-established, since notifications in between are lost.
// Expiry, idle time and revocation times are still checked on every request from the entry.

const MAX_ENTRIES = 10_000;

export class CredentialCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    /** False while changes could go unnoticed (not listening): then nothing is served from the cache. */
    private readonly isTrusted: () => boolean,
  ) {}

  /** The cached value, or what `read` finds (kept unless an invalidation arrived meanwhile). */
  async load(key: string, read: () => Promise<V | null>, now = Date.now()): Promise<V | null> {
    const trusted = this.isTrusted();
    const entry = trusted ? this.entries.get(key) : undefined;
    if (entry && entry.until > now) return entry.value;
    const generation = this.generation;
    const value = await read();
    // A value read while a change was being notified may predate the change: not kept.
    if (value !== null && trusted && generation === this.generation && this.isTrusted()) {
      this.entries.delete(key);
      this.entries.set(key, { value, until: now + this.ttlMs });
      while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    }
    return value;
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** A cache dropped on every sign-in change the listener hears, trusted only while it listens. */
export function listeningCredentialCache<V>(listener: DeliveryListener, ttlMs: number): CredentialCache<V> {
  const cache = new CredentialCache<V>(ttlMs, () => listener.connected);
  listener.onAuthChange(() => cache.clear());
  return cache;
}

/** Seconds an authentication result may be reused: RAMPART_AUTH_CACHE_SECONDS, default 5 in production and 0 (off) elsewhere. */
export function authCacheSeconds(environment: NodeJS.ProcessEnv = process.env): number {
  const raw = environment.RAMPART_AUTH_CACHE_SECONDS;
  if (raw === undefined || raw === "") return environment.NODE_ENV === "production" ? 5 : 0;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 60)
    throw new Error(`RAMPART_AUTH_CACHE_SECONDS must be a whole number of seconds from 0 to 60, not ${raw}`);
  return seconds;
}

// One per process, beside the listener it depends on (Next.js may evaluate this module once per route bundle).
const holder = globalThis as unknown as { rampartCredentialCache?: CredentialCache<unknown> | null };

/** The process's cache, or null when it is off. */
export function credentialCache<V>(): CredentialCache<V> | null {
  if (holder.rampartCredentialCache === undefined) {
    const seconds = authCacheSeconds();
    holder.rampartCredentialCache = seconds > 0 ? listeningCredentialCache(deliveryListener(), seconds * 1000) : null;
  }
  return holder.rampartCredentialCache as CredentialCache<V> | null;
}

/** For tests: forget the process's cache (the next use reads RAMPART_AUTH_CACHE_SECONDS again). */
export function resetCredentialCache(): void {
  delete holder.rampartCredentialCache;
}
