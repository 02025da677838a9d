// Per-application rate limits, keyed by client IP or by the verified token's subject.

import { z } from "zod";
import { enforcementModeSchema, methodListSchema, pathPatternListSchema, slugSchema } from "./policy-fields";

export const RATE_LIMIT_KEYS = ["client-ip", "token-subject"] as const;

export const rateLimitSchema = z.strictObject({
  id: slugSchema,
  key: z.enum(RATE_LIMIT_KEYS),
  requests: z.int().min(1, "must allow at least 1 request").max(1_000_000),
  windowSeconds: z.int().min(1).max(86_400, "the window is at most one day (86400 seconds)"),
  /** Extra requests tolerated in a short spike; 0 means none. */
  burst: z.int().min(0).max(1_000_000).default(0),
  paths: pathPatternListSchema.min(1).default(["/**"]),
  /** Absent means every method. */
  methods: methodListSchema.min(1).optional(),
  mode: enforcementModeSchema.default("block"),
});

export const rateLimitsSchema = z.array(rateLimitSchema).superRefine((limits, ctx) => {
  const seen = new Set<string>();
  limits.forEach((limit, index) => {
    if (seen.has(limit.id)) ctx.addIssue({ code: "custom", path: [index, "id"], message: `duplicate rate limit id "${limit.id}"` });
    seen.add(limit.id);
  });
});
