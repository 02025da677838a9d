import { z } from "zod";
import { securityEventBatchSchema } from "@/lib/policy-spec";
import {
  exceptionDraftInput,
  exceptionDraftResultSchema,
  exportSecurityEventsQuery,
  listSecurityEventsQuery,
  securityEventDetailSchema,
  securityEventListSchema,
  securityEventParams,
  securityEventSummaryQuery,
  securityEventSummarySchema,
} from "@/lib/security-events/security-event-schemas";
import { defineOperation } from "../operation";

// Security events (lib/security-events): proxies send them with their target's token;
// people read them within their team scope and turn a false positive into an exception.

export const ingestSecurityEventsOperation = defineOperation({
  id: "ingestSecurityEvents",
  method: "POST",
  path: "/delivery/events",
  summary:
    "A proxy's batch of sampled security events and exact per-minute counters (gzip allowed). Idempotent per batchId; 429 with Retry-After when the portal cannot keep up",
  tag: "delivery",
  access: "delivery-target",
  body: securityEventBatchSchema,
  response: z.object({ stored: z.number().int(), duplicate: z.boolean() }),
  successStatus: 201,
  gzipBody: { maxDecodedBytes: 8 * 1024 * 1024 },
  compiledBody: true,
});

export const listSecurityEventsOperation = defineOperation({
  id: "listSecurityEvents",
  method: "GET",
  path: "/security-events",
  summary: "Security events (sampled decisions of the proxies), newest first, filtered; a team sees its applications' events. {items, nextCursor}",
  tag: "security-events",
  access: "security-events:read",
  query: listSecurityEventsQuery,
  response: securityEventListSchema,
});

export const summariseSecurityEventsOperation = defineOperation({
  id: "summariseSecurityEvents",
  method: "GET",
  path: "/security-events/summary",
  summary:
    "Time buckets by family and action and top rules (exact, from the per-minute counters and their hourly and daily rollups); top paths and client IPs (counted over the stored events: exact for short or filtered windows, estimated from a bounded sample over large ones, with topSampleRate < 1 and a 95% margin per item)",
  tag: "security-events",
  access: "security-events:read",
  query: securityEventSummaryQuery,
  response: securityEventSummarySchema,
});

export const exportSecurityEventsOperation = defineOperation({
  id: "exportSecurityEvents",
  method: "GET",
  path: "/security-events/export",
  summary: "Security events as NDJSON (one JSON object a line, newest first) for SIEMs, filtered like the list",
  tag: "security-events",
  access: "security-events:read",
  query: exportSecurityEventsQuery,
  response: z.string().describe("application/x-ndjson"),
  rawResponse: { mediaType: "application/x-ndjson" },
});

export const getSecurityEventOperation = defineOperation({
  id: "getSecurityEvent",
  method: "GET",
  path: "/security-events/{id}",
  summary: "One security event with its rule's description and the narrowest exception it proposes (with what it would have let through)",
  tag: "security-events",
  access: "security-events:read",
  params: securityEventParams,
  response: securityEventDetailSchema,
});

export const draftExceptionFromEventOperation = defineOperation({
  id: "draftExceptionFromEvent",
  method: "POST",
  path: "/security-events/{id}/exception-draft",
  summary:
    "This is a false positive: add the narrowest exception (rule × part and parameter × path and method) to the application's draft version, creating one if needed; expiry defaults to 30 days within the baseline's maximum",
  tag: "security-events",
  access: "policies:edit",
  params: securityEventParams,
  body: exceptionDraftInput,
  response: exceptionDraftResultSchema,
  successStatus: 201,
});
