// Rate limits from the policy: a token bucket per limit and key (client IP or
// the verified token's subject) holding `requests + burst` tokens and refilled
// at `requests / windowSeconds` per second. Counters live in each worker
// process (no shared store), so with N workers a client whose connections are
// spread over all of them can reach up to N× the limit; a keep-alive
// connection stays on one worker. Requests without a verified token are not
// counted by token-subject limits.

import type { Bundle } from "@/lib/policy-spec";
import { compilePathMatchers, type PathPredicate } from "../../match/path-matchers.js";
import { blocked, logged } from "../../runtime/decision.js";
import type { Middleware } from "../../runtime/middleware.js";

const MAX_KEYS = 100_000;

interface Bucket {
  tokens: number;
  updated: number;
}

export function newRateLimit(limits: Bundle["rateLimits"], now: () => number = Date.now): Middleware | null {
  if (limits.length === 0) return null;
  const compiled = limits.map((limit) => ({
    ruleId: `rate-limit.${limit.id}`,
    bySubject: limit.key === "token-subject",
    applies: compilePathMatchers(limit.paths) as PathPredicate,
    methods: limit.methods === null ? null : new Set<string>(limit.methods),
    capacity: limit.requests + limit.burst,
    perMs: limit.requests / (limit.windowSeconds * 1000),
    block: limit.mode === "block",
    buckets: new Map<string, Bucket>(),
  }));
  return {
    name: "rate-limit",
    onRequest(ctx) {
      const at = now();
      for (const limit of compiled) {
        if (limit.methods !== null && !limit.methods.has(ctx.method)) continue;
        if (!limit.applies(ctx.path, ctx.pathLower)) continue;
        let key: string;
        if (limit.bySubject) {
          const sub = ctx.claims?.sub;
          if (typeof sub !== "string") continue;
          key = sub;
        } else key = ctx.clientIp;
        let bucket = limit.buckets.get(key);
        if (bucket === undefined) {
          if (limit.buckets.size >= MAX_KEYS) evictOldest(limit.buckets);
          bucket = { tokens: limit.capacity, updated: at };
          limit.buckets.set(key, bucket);
        } else {
          bucket.tokens = Math.min(limit.capacity, bucket.tokens + (at - bucket.updated) * limit.perMs);
          bucket.updated = at;
        }
        if (bucket.tokens >= 1) {
          bucket.tokens -= 1;
          continue;
        }
        if (!limit.block) {
          ctx.log(logged("rate-limit", limit.ruleId, "connection", "", key === ctx.clientIp ? key : "token subject"));
          continue;
        }
        const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perMs / 1000));
        return blocked(429, "rate-limit", limit.ruleId, "connection", "", limit.bySubject ? "token subject" : key, [["retry-after", String(retryAfter)]]);
      }
      return null;
    },
  };
}

/** Drops the oldest tenth of the keys (Map order is insertion order), so one flood cannot reset every counter. */
function evictOldest(buckets: Map<string, Bucket>): void {
  let drop = Math.ceil(buckets.size / 10);
  for (const key of buckets.keys()) {
    buckets.delete(key);
    if (--drop <= 0) break;
  }
}
