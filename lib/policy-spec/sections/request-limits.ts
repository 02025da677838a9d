// Request size limits. All sizes in bytes so a value means one thing everywhere.

import { z } from "zod";

const bytes = (max: number) => z.int("must be a whole number of bytes").min(1, "must be at least 1").max(max, `must be at most ${max}`);
const count = (max: number) => z.int("must be a whole number").min(1, "must be at least 1").max(max, `must be at most ${max}`);

const MiB = 1024 * 1024;

export const REQUEST_LIMITS = {
  maxBodyBytes: { label: "request body size", unit: "bytes", default: 10 * MiB, schema: bytes(1024 * MiB) },
  maxHeaderBytes: { label: "total header size", unit: "bytes", default: 16 * 1024, schema: bytes(1 * MiB) },
  maxHeaderCount: { label: "header count", unit: "count", default: 100, schema: count(10_000) },
  maxUrlBytes: { label: "URL length", unit: "bytes", default: 8 * 1024, schema: bytes(1 * MiB) },
  maxParameterCount: { label: "parameter count", unit: "count", default: 256, schema: count(100_000) },
  maxParameterBytes: { label: "parameter length", unit: "bytes", default: 4 * 1024, schema: bytes(64 * MiB) },
  maxJsonDepth: { label: "JSON nesting depth", unit: "count", default: 32, schema: count(1_000) },
  maxJsonBytes: { label: "JSON body size", unit: "bytes", default: 1 * MiB, schema: bytes(1024 * MiB) },
} as const;
export type RequestLimitName = keyof typeof REQUEST_LIMITS;
export const REQUEST_LIMIT_NAMES = Object.keys(REQUEST_LIMITS) as RequestLimitName[];

/**
 * What happens to a part of a request the proxy could not inspect (a value or
 * body beyond an inspection cap): refused (413/400/431, the default) or
 * forwarded and logged. Fail closed unless the policy says otherwise.
 */
export const UNINSPECTED_MODES = ["refuse", "log"] as const;
const uninspectedSchema = z.enum(UNINSPECTED_MODES);

export const baselineLimitsSchema = z.strictObject({
  maxBodyBytes: REQUEST_LIMITS.maxBodyBytes.schema.default(REQUEST_LIMITS.maxBodyBytes.default),
  maxHeaderBytes: REQUEST_LIMITS.maxHeaderBytes.schema.default(REQUEST_LIMITS.maxHeaderBytes.default),
  maxHeaderCount: REQUEST_LIMITS.maxHeaderCount.schema.default(REQUEST_LIMITS.maxHeaderCount.default),
  maxUrlBytes: REQUEST_LIMITS.maxUrlBytes.schema.default(REQUEST_LIMITS.maxUrlBytes.default),
  maxParameterCount: REQUEST_LIMITS.maxParameterCount.schema.default(REQUEST_LIMITS.maxParameterCount.default),
  maxParameterBytes: REQUEST_LIMITS.maxParameterBytes.schema.default(REQUEST_LIMITS.maxParameterBytes.default),
  maxJsonDepth: REQUEST_LIMITS.maxJsonDepth.schema.default(REQUEST_LIMITS.maxJsonDepth.default),
  maxJsonBytes: REQUEST_LIMITS.maxJsonBytes.schema.default(REQUEST_LIMITS.maxJsonBytes.default),
  uninspected: uninspectedSchema.default("refuse").describe("Anything beyond an inspection cap: refuse (default) or forward and log."),
});

export const applicationLimitsSchema = z.strictObject({
  maxBodyBytes: REQUEST_LIMITS.maxBodyBytes.schema.optional(),
  maxHeaderBytes: REQUEST_LIMITS.maxHeaderBytes.schema.optional(),
  maxHeaderCount: REQUEST_LIMITS.maxHeaderCount.schema.optional(),
  maxUrlBytes: REQUEST_LIMITS.maxUrlBytes.schema.optional(),
  maxParameterCount: REQUEST_LIMITS.maxParameterCount.schema.optional(),
  maxParameterBytes: REQUEST_LIMITS.maxParameterBytes.schema.optional(),
  maxJsonDepth: REQUEST_LIMITS.maxJsonDepth.schema.optional(),
  maxJsonBytes: REQUEST_LIMITS.maxJsonBytes.schema.optional(),
  uninspected: uninspectedSchema.optional().describe('Only "refuse" (tighter than a baseline\'s "log").'),
});
