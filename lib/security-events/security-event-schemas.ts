import { z } from "zod";
import { SECURITY_EVENT_ACTIONS } from "@/lib/policy-spec";

// The portal's API over stored security events (the proxies' wire format is
// lib/policy-spec/security-events-schema.ts).

const datetime = z.iso.datetime({ offset: true });

export const securityEventFilters = {
  applicationId: z.uuid().optional(),
  family: z.string().min(1).max(40).optional(),
  ruleId: z.string().min(1).max(120).optional(),
  action: z.enum(SECURITY_EVENT_ACTIONS).optional(),
  /** Exact path, or a prefix when it ends with "*". */
  path: z.string().min(1).max(600).optional(),
  clientIp: z.string().min(1).max(64).optional(),
  from: datetime.optional(),
  to: datetime.optional(),
};

export const listSecurityEventsQuery = z.strictObject({
  ...securityEventFilters,
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListSecurityEventsQuery = z.output<typeof listSecurityEventsQuery>;
export type SecurityEventFilters = Omit<ListSecurityEventsQuery, "cursor" | "limit">;

export const exportSecurityEventsQuery = z.strictObject({
  ...securityEventFilters,
  limit: z.coerce.number().int().min(1).max(1_000_000).default(100_000),
});

export const securityEventSummaryQuery = z.strictObject({
  ...securityEventFilters,
  /** Bucket width; default: chosen from the window (minute up to 6 h, hour up to 7 days, else day). Hour and day widen the window to whole hours or days. */
  bucket: z.enum(["minute", "hour", "day"]).optional(),
});
export type SecurityEventSummaryQuery = z.output<typeof securityEventSummaryQuery>;

export const securityEventItemSchema = z.object({
  id: z.uuid(),
  occurredAt: z.iso.datetime(),
  receivedAt: z.iso.datetime(),
  targetId: z.uuid(),
  instanceId: z.string(),
  requestId: z.string(),
  applicationId: z.uuid().nullable(),
  application: z.object({ id: z.uuid(), name: z.string(), slug: z.string() }).nullable(),
  policyVersionId: z.string().nullable(),
  policyHash: z.string(),
  action: z.enum(SECURITY_EVENT_ACTIONS),
  family: z.string(),
  ruleId: z.string(),
  method: z.string(),
  host: z.string(),
  path: z.string(),
  part: z.string(),
  parameter: z.string(),
  excerpt: z.string(),
  clientIp: z.string(),
  status: z.int(),
});
export type SecurityEventItem = z.output<typeof securityEventItemSchema>;

export const securityEventListSchema = z.object({ items: z.array(securityEventItemSchema), nextCursor: z.string().nullable() });

export const securityEventSummarySchema = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  bucket: z.enum(["minute", "hour", "day"]),
  /** "counters": every decision counted; "events": the stored events (a path or client filter, which counters do not carry). */
  seriesSource: z.enum(["counters", "events"]),
  series: z.array(z.object({ bucket: z.iso.datetime(), family: z.string(), action: z.enum(SECURITY_EVENT_ACTIONS), count: z.number().int() })),
  totals: z.object({ blocked: z.number().int(), logged: z.number().int() }),
  /** Exact, from the counters. */
  topRules: z.array(z.object({ ruleId: z.string(), family: z.string(), count: z.number().int() })),
  /**
   * 1: top paths and clients are exact counts of the stored events of the window. Below 1:
   * estimated from a block sample of that share of the window's events (hour and day
   * buckets over more events than a sample needs); each count is then k ÷ rate for k
   * sampled events, give or take `margin` (95 %, if events were sampled independently).
   */
  topSampleRate: z.number().gt(0).lte(1),
  /** `margin`: 0 when exact, else the 95 % margin of the estimated count. */
  topPaths: z.array(z.object({ path: z.string(), count: z.number().int(), margin: z.number().int() })),
  topClients: z.array(z.object({ clientIp: z.string(), count: z.number().int(), margin: z.number().int() })),
  /** Events the proxies dropped (queue full, stale) in the window: the samples have gaps. */
  dropped: z.number().int(),
});

/** The narrowest exception that lets this event's request through, and what it would have let through. */
export const falsePositiveProposalSchema = z.object({
  applicationId: z.uuid(),
  policyId: z.uuid(),
  exception: z.object({
    id: z.string(),
    ruleId: z.string(),
    part: z.string(),
    name: z.string().optional(),
    pointer: z.string().optional(),
    conditions: z.object({ paths: z.array(z.string()), methods: z.array(z.string()).optional() }),
    expires: z.string(),
  }),
  maxLifetimeDays: z.number().int(),
  impact: z.object({ days: z.number().int(), events: z.number().int(), clients: z.number().int() }),
});

export const securityEventDetailSchema = securityEventItemSchema.extend({
  ruleDescription: z.string().nullable(),
  falsePositive: z.union([
    z.object({ available: z.literal(true), proposal: falsePositiveProposalSchema }),
    z.object({ available: z.literal(false), reason: z.string() }),
  ]),
});

export const exceptionDraftInput = z.strictObject({
  justification: z.string().trim().min(20, "explain why this is a false positive (at least 20 characters)").max(2000),
  /** YYYY-MM-DD; default 30 days from today, never beyond the baseline's maximum lifetime. */
  expires: z.iso.date().optional(),
  ticket: z.string().min(1).max(200).optional(),
});
export type ExceptionDraftInput = z.output<typeof exceptionDraftInput>;

export const exceptionDraftResultSchema = z.object({
  policyId: z.uuid(),
  versionId: z.uuid(),
  versionNumber: z.number().int(),
  exceptionId: z.string(),
  createdDraft: z.boolean(),
  impact: z.object({ days: z.number().int(), events: z.number().int(), clients: z.number().int() }),
});

export const securityEventParams = z.strictObject({ id: z.uuid({ error: "must be a UUID" }) });
