// The security-events wire format between a connected proxy and the portal.
//
//   POST /api/v1/delivery/events
//        Authorization: Bearer <delivery target token>
//        Content-Type: application/json, Content-Encoding: gzip (or identity)
//        body: SecurityEventBatch
//     202 → stored (or stored before: a repeated batchId is acknowledged, never stored twice)
//     429 → the portal cannot keep up; Retry-After says when to resend the same batch
//     401 → unknown or revoked token
//
// Events are samples (per rule × path × client, the first few per interval in full);
// counters are exact: every decision is counted per minute, application, family, rule
// and action, so charts built from counters stay right while events are sampled.
// A proxy masks before sending (mask-secrets.ts); the portal does not trust that: it
// masks again on ingestion, and every string is bounded by the sizes below.

import { z } from "zod";

export const SECURITY_EVENT_ACTIONS = ["blocked", "logged"] as const;
export type SecurityEventAction = (typeof SECURITY_EVENT_ACTIONS)[number];

/** Per batch; the proxy's own batches stay below both. */
export const SECURITY_EVENT_BATCH_LIMITS = { events: 2000, counters: 5000 } as const;

const text = (max: number) => z.string().max(max);
const token = (max: number) => z.string().min(1).max(max);

export const securityEventSchema = z.strictObject({
  time: z.iso.datetime(),
  requestId: token(100),
  /** null: the request matched no application's route (gateway and protocol refusals). */
  applicationId: token(100).nullable(),
  /** The policy version the decision was made under (the application version's id), when known. */
  policyVersionId: token(100).nullable(),
  /** The bundle's content hash in force. */
  policyHash: text(80),
  action: z.enum(SECURITY_EVENT_ACTIONS),
  family: token(40),
  ruleId: token(120),
  method: token(16),
  host: text(255),
  /** The path without the query string. */
  path: text(600),
  part: text(40),
  /** Header, parameter or cookie name, or a JSON pointer; "" when the part has none. */
  parameter: text(130),
  /** A short excerpt of the matched value, masked for credentials. */
  excerpt: text(80),
  clientIp: text(64),
  status: z.int().min(0).max(999),
});
export type SecurityEvent = z.output<typeof securityEventSchema>;

export const securityEventCounterSchema = z.strictObject({
  /** Start of the minute (UTC, seconds and milliseconds zero). */
  minute: z.iso.datetime(),
  applicationId: token(100).nullable(),
  family: token(40),
  ruleId: token(120),
  action: z.enum(SECURITY_EVENT_ACTIONS),
  count: z.int().min(1).max(1_000_000_000),
});
export type SecurityEventCounter = z.output<typeof securityEventCounterSchema>;

export const securityEventBatchSchema = z.strictObject({
  /** Random per batch; a resend after a timeout or a 429 carries the same id. */
  batchId: z.uuid(),
  instanceId: token(200),
  events: z.array(securityEventSchema).max(SECURITY_EVENT_BATCH_LIMITS.events),
  counters: z.array(securityEventCounterSchema).max(SECURITY_EVENT_BATCH_LIMITS.counters),
  /** Events this instance dropped (queue full) since its previous batch. */
  dropped: z.int().min(0).max(1_000_000_000),
});
export type SecurityEventBatch = z.output<typeof securityEventBatchSchema>;
