import "server-only";
import type { SecurityEvent, SecurityEventCounter } from "@/lib/policy-spec";

// Where ingested security events go. Ingestion (ingest-security-events.ts) authenticates the
// proxy, validates and cleans the batch, then hands it to the one sink configured by
// RAMPART_EVENT_SINK (configured-event-sink.ts). PostgreSQL is built; a deployment that outgrows it adds a sink
// (an OpenTelemetry collector as log records, a Kafka topic, ClickHouse) implementing the
// same two promises: idempotent per (target, batchId), and `overloaded` instead of queueing
// without bound. The portal's pages read events through lib/security-events' queries,
// which a non-PostgreSQL sink must then serve too (or the portal keeps PostgreSQL as a
// second sink for the recent days).

export type IngestBatch = {
  targetId: string;
  batchId: string;
  instanceId: string;
  events: readonly CleanEvent[];
  counters: readonly SecurityEventCounter[];
  dropped: number;
};

/** An event after ingestion checked it: the application is one the target delivers (or null), the excerpt masked. */
export type CleanEvent = SecurityEvent;

export type IngestResult =
  | { kind: "stored"; events: number }
  | { kind: "duplicate" }
  /** The store cannot take more right now: the proxy resends the same batch after retryAfterSeconds. */
  | { kind: "overloaded"; retryAfterSeconds: number };

export interface SecurityEventSink {
  ingest(batch: IngestBatch): Promise<IngestResult>;
}
