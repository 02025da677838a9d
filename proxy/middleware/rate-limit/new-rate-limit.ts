// Rate limits from the policy: a token bucket per limit and key (client IP or
// the verified token's subject) holding `requests + burst` tokens and refilled
// at `requests / windowSeconds` per second. The buckets belong to the proxy
// instance, not the worker (rate-limit-store.ts): with cluster workers the
// primary keeps them. Requests without a verified token are not counted by
// token-subject limits.

import type { Bundle } from "@/lib/policy-spec";
import { compilePathMatchers, type PathPredicate } from "../../match/path-matchers.js";
import { blocked, logged, type Verdict } from "../../runtime/decision.js";
import type { Middleware } from "../../runtime/middleware.js";
import type { RequestContext } from "../../runtime/request-context.js";
import { rateLimitStore, type RateLimitStore } from "./rate-limit-store.js";
import type { TakeResult } from "./token-buckets.js";

interface CompiledLimit {
  ruleId: string;
  bucketPrefix: string;
  bySubject: boolean;
  applies: PathPredicate;
  methods: ReadonlySet<string> | null;
  capacity: number;
  perMs: number;
  block: boolean;
}

/** `scope` keeps equally named limits of different routes apart (a gateway serves several applications). */
export function newRateLimit(limits: Bundle["rateLimits"], scope: string, store: RateLimitStore = rateLimitStore()): Middleware | null {
  if (limits.length === 0) return null;
  const compiled: CompiledLimit[] = limits.map((limit) => {
    const capacity = limit.requests + limit.burst;
    const perMs = limit.requests / (limit.windowSeconds * 1000);
    return {
      ruleId: `rate-limit.${limit.id}`,
      bucketPrefix: `${scope}\u0000${limit.id}\u0000${capacity}\u0000${perMs}\u0000`,
      bySubject: limit.key === "token-subject",
      applies: compilePathMatchers(limit.paths) as PathPredicate,
      methods: limit.methods === null ? null : new Set<string>(limit.methods),
      capacity,
      perMs,
      block: limit.mode === "block",
    };
  });

  /** Limits from index `from` on; synchronous as long as the store answers synchronously. */
  const evaluate = (ctx: RequestContext, from: number): Verdict | Promise<Verdict> => {
    for (let i = from; i < compiled.length; i++) {
      const limit = compiled[i]!;
      if (limit.methods !== null && !limit.methods.has(ctx.method)) continue;
      if (!limit.applies(ctx.path, ctx.pathLower)) continue;
      let key: string;
      if (limit.bySubject) {
        const sub = ctx.claims?.sub;
        if (typeof sub !== "string") continue;
        key = sub;
      } else key = ctx.clientIp;
      const result = store.take({ bucket: limit.bucketPrefix + key, capacity: limit.capacity, perMs: limit.perMs });
      if (result instanceof Promise) {
        return result.then((taken) => verdictOf(ctx, limit, key, taken) ?? evaluate(ctx, i + 1));
      }
      const verdict = verdictOf(ctx, limit, key, result);
      if (verdict !== null) return verdict;
    }
    return null;
  };

  return { name: "rate-limit", onRequest: (ctx) => evaluate(ctx, 0) };
}

function verdictOf(ctx: RequestContext, limit: CompiledLimit, key: string, taken: TakeResult): Verdict {
  if (taken.allowed) return null;
  const who = limit.bySubject ? "token subject" : key;
  if (!limit.block) {
    ctx.log(logged("rate-limit", limit.ruleId, "connection", "", who));
    return null;
  }
  return blocked(429, "rate-limit", limit.ruleId, "connection", "", who, [["retry-after", String(taken.retryAfterSeconds)]]);
}
