-- Security events from connected proxies (lib/security-events).
--
-- security_events is partitioned by day (declarative range partitioning on occurred_at):
-- retention drops whole partitions instead of deleting rows, and a query over a time
-- window reads only the days it covers. Partitions are created ahead by the maintenance
-- sweep (and on demand by ingestion); the ones for the next days are created here so a
-- fresh database takes events at once. The primary key includes the partition key, as
-- PostgreSQL requires of a partitioned table.
CREATE TABLE "security_events" (
    "id" UUID NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "target_id" UUID NOT NULL,
    "instance_id" TEXT NOT NULL,
    "batch_id" UUID NOT NULL,
    "request_id" TEXT NOT NULL,
    "application_id" UUID,
    "policy_version_id" TEXT,
    "policy_hash" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "family" TEXT NOT NULL,
    "rule_id" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "part" TEXT NOT NULL,
    "parameter" TEXT NOT NULL,
    "excerpt" TEXT NOT NULL,
    "client_ip" TEXT NOT NULL,
    "status" INTEGER NOT NULL,

    CONSTRAINT "security_events_pkey" PRIMARY KEY ("occurred_at", "id")
) PARTITION BY RANGE ("occurred_at");

CREATE INDEX "security_events_application_id_occurred_at_idx" ON "security_events"("application_id", "occurred_at");
CREATE INDEX "security_events_rule_id_occurred_at_idx" ON "security_events"("rule_id", "occurred_at");

-- One partition per UTC day, named security_events_pYYYYMMDD.
CREATE FUNCTION rampart_ensure_security_event_partition(day DATE) RETURNS VOID AS $$
BEGIN
  EXECUTE format(
    'CREATE TABLE IF NOT EXISTS %I PARTITION OF security_events FOR VALUES FROM (%L) TO (%L)',
    'security_events_p' || to_char(day, 'YYYYMMDD'),
    (day::timestamp AT TIME ZONE 'UTC'),
    ((day + 1)::timestamp AT TIME ZONE 'UTC')
  );
END;
$$ LANGUAGE plpgsql;

SELECT rampart_ensure_security_event_partition((now() AT TIME ZONE 'UTC')::date + d) FROM generate_series(-1, 3) AS d;

-- Exact counts per minute, application ('' for none), family, rule and action: charts are
-- drawn from these while events are sampled.
CREATE TABLE "security_event_counters" (
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "application_id" TEXT NOT NULL DEFAULT '',
    "family" TEXT NOT NULL,
    "rule_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "security_event_counters_pkey" PRIMARY KEY ("minute", "application_id", "family", "rule_id", "action")
);

CREATE INDEX "security_event_counters_application_id_minute_idx" ON "security_event_counters"("application_id", "minute");

-- Batches already stored, per target: a resent batch id is acknowledged and not stored again.
CREATE TABLE "security_event_batches" (
    "target_id" UUID NOT NULL,
    "batch_id" UUID NOT NULL,
    "instance_id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "events" INTEGER NOT NULL,
    "dropped" INTEGER NOT NULL,

    CONSTRAINT "security_event_batches_pkey" PRIMARY KEY ("target_id", "batch_id")
);

CREATE INDEX "security_event_batches_received_at_idx" ON "security_event_batches"("received_at");
