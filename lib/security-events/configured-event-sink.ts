import "server-only";
import { env } from "@/lib/env";
import type { SecurityEventSink } from "./event-sink";
import { postgresEventSink } from "./postgres-event-sink";

/** The sink RAMPART_EVENT_SINK names; a sink for another store is added here, beside PostgreSQL's. */
export function configuredEventSink(): SecurityEventSink {
  const settings = env();
  switch (settings.RAMPART_EVENT_SINK) {
    case "postgres":
      return postgresEventSink({ concurrency: settings.RAMPART_EVENT_INGEST_CONCURRENCY, retentionDays: settings.RAMPART_EVENT_RETENTION_DAYS });
  }
}
