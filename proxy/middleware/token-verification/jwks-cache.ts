// JSON Web Key Sets fetched from the issuer's jwksUrl: cached for a TTL,
// refreshed in the background once stale, refetched early (at most once per
// minRefreshIntervalMs) when a token names an unknown kid, so key rotation
// works without letting tokens with random kids hammer the issuer. Each fetch
// is bounded in time and size; a failed fetch keeps the last good keys.
// Caches are shared across policy reloads (by URL), so a reload does not
// refetch.

import https from "node:https";
import { rootCertificates } from "node:tls";
import { toVerificationKey, type VerificationKey } from "./public-key.js";

export interface JwksOptions {
  timeoutMs: number;
  maxBytes: number;
  ttlMs: number;
  minRefreshIntervalMs: number;
  /** Extra CA certificates (PEM) trusted for the JWKS endpoint, in addition to the system roots. */
  extraCa: readonly string[];
}

export const DEFAULT_JWKS_OPTIONS: JwksOptions = { timeoutMs: 5000, maxBytes: 256 * 1024, ttlMs: 300_000, minRefreshIntervalMs: 30_000, extraCa: [] };

export type JwksFetcher = (url: string, options: JwksOptions) => Promise<unknown>;

export class JwksCache {
  private keys: VerificationKey[] | null = null;
  private fetchedAt = 0;
  private lastAttempt = -Infinity;
  private inflight: Promise<void> | null = null;
  lastError: string | null = null;

  constructor(
    readonly url: string,
    private readonly options: JwksOptions,
    private readonly fetcher: JwksFetcher = fetchJwks,
    private readonly now: () => number = Date.now,
  ) {}

  /** The keys available without waiting (null before the first successful fetch); starts a background refresh when stale. */
  current(): VerificationKey[] | null {
    if (this.keys !== null && this.now() - this.fetchedAt > this.options.ttlMs) void this.refresh();
    return this.keys;
  }

  /** Waits for the first fetch if there are no keys yet. */
  async load(): Promise<VerificationKey[] | null> {
    if (this.keys === null) await this.refresh();
    return this.keys;
  }

  /** A token named a kid we do not have: refetch unless we did so very recently. Resolves to the (possibly new) keys. */
  async refreshForUnknownKid(): Promise<VerificationKey[] | null> {
    if (this.now() - this.lastAttempt >= this.options.minRefreshIntervalMs) await this.refresh();
    else if (this.inflight) await this.inflight;
    return this.keys;
  }

  refresh(): Promise<void> {
    if (this.inflight) return this.inflight;
    this.lastAttempt = this.now();
    this.inflight = this.fetcher(this.url, this.options)
      .then((document) => {
        const list = (document as { keys?: unknown } | null)?.keys;
        if (!Array.isArray(list)) throw new Error("not a JWK Set (no keys array)");
        const keys: VerificationKey[] = [];
        for (const jwk of list.slice(0, 100)) {
          if (jwk === null || typeof jwk !== "object") continue;
          const key = toVerificationKey(jwk as Record<string, unknown>);
          if (typeof key !== "string") keys.push(key);
        }
        if (keys.length === 0) throw new Error("the JWK Set has no usable signature keys");
        this.keys = keys;
        this.fetchedAt = this.now();
        this.lastError = null;
      })
      .catch((error: unknown) => {
        this.lastError = error instanceof Error ? error.message : String(error);
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }
}

const caches = new Map<string, JwksCache>();

export function sharedJwksCache(url: string, options: JwksOptions): JwksCache {
  let cache = caches.get(url);
  if (!cache) {
    cache = new JwksCache(url, options);
    caches.set(url, cache);
  }
  return cache;
}

export function fetchJwks(url: string, options: JwksOptions): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | null, value?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (error) reject(error);
      else resolve(value);
    };
    const request = https.get(
      url,
      {
        ca: options.extraCa.length > 0 ? [...rootCertificates, ...options.extraCa] : undefined,
        headers: { accept: "application/jwk-set+json, application/json" },
        timeout: options.timeoutMs,
      },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          settle(new Error(`JWKS ${url} answered ${response.statusCode}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            settle(new Error(`JWKS ${url} is larger than ${options.maxBytes} bytes`));
            request.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.on("end", () => {
          try {
            settle(null, JSON.parse(Buffer.concat(chunks).toString("utf8")));
          } catch {
            settle(new Error(`JWKS ${url} is not JSON`));
          }
        });
        response.on("error", (error) => settle(error));
      },
    );
    // The socket timeout covers idle time; this covers a server that trickles bytes.
    const deadline = setTimeout(() => {
      settle(new Error(`JWKS ${url} took longer than ${options.timeoutMs} ms`));
      request.destroy();
    }, options.timeoutMs);
    request.on("timeout", () => {
      settle(new Error(`JWKS ${url} timed out`));
      request.destroy();
    });
    request.on("error", (error) => settle(error));
  });
}
