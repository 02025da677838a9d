import "server-only";
import { db } from "@/lib/db/client";
import { columnArrays, unnestSql, type ColumnSpec } from "./column-arrays";
import { ensureEventPartitions, listEventPartitions, retentionStart } from "./event-partitions";
import type { CleanEvent, IngestBatch, IngestResult, SecurityEventSink } from "./event-sink";
import { eventStorePool } from "./event-store-pool";

// The PostgreSQL sink. A batch is one statement (its own transaction, one round trip):
//  1. an ingestion slot: one of `concurrency` transaction-scoped advisory locks
//     (pg_try_advisory_xact_lock(SLOTS, n)), so all replicas together never write more
//     than `concurrency` batches at once; none free → 429 with Retry-After, the proxy
//     resends later;
//  2. the batch id row, only with a slot: a resent batch (the proxy timed out while we
//     committed) conflicts, and nothing below is written — acknowledged, never stored twice;
//  3. the events, the per-minute counters and the rollups, each an INSERT … SELECT over
//     unnest of column arrays: every counted decision per rule and per family, by hour and
//     by day (security_event_rule_rollups, security_event_family_rollups: the summary's
//     exact tiers), and the logged events per path and per client by hour
//     (security_event_rollups: the log-only evidence; nothing reads them for blocked
//     events, so they are not written). Counters and rollups are summed per key within the
//     batch and upserted in key order, table after table in the same order, so two batches
//     touching the same rows lock them in the same order.
// Nothing is kept between requests: any replica takes any batch.

const SLOTS = 0x52_41_4d_45; // "RAME": the advisory-lock class of the ingestion slots
const RETRY_AFTER_SECONDS = 2;
/** How far ahead of this replica's clock an event or counter is still stored (the summary knows no later rows exist). */
export const FUTURE_SLACK_MS = 10 * 60_000;
/** deadlock_detected, serialization_failure, lock_not_available: the same batch, sent again, will go in. */
const TRANSIENT = new Set(["40P01", "40001", "55P03"]);

/** Days known to have a partition (a cache of the catalogue; a miss asks the database). */
const knownDays = new Set<string>();

const EVENT_COLUMNS: ColumnSpec<CleanEvent> = [
  ["occurred_at", "timestamptz", (e) => e.time],
  ["request_id", "text", (e) => e.requestId],
  ["application_id", "uuid", (e) => e.applicationId],
  ["policy_version_id", "text", (e) => e.policyVersionId],
  ["policy_hash", "text", (e) => e.policyHash],
  ["action", "text", (e) => e.action],
  ["family", "text", (e) => e.family],
  ["rule_id", "text", (e) => e.ruleId],
  ["method", "text", (e) => e.method],
  ["host", "text", (e) => e.host],
  ["path", "text", (e) => e.path],
  ["part", "text", (e) => e.part],
  ["parameter", "text", (e) => e.parameter],
  ["excerpt", "text", (e) => e.excerpt],
  ["client_ip", "text", (e) => e.clientIp],
  ["status", "int", (e) => e.status],
];

type CounterRow = { minute: string; applicationId: string; family: string; ruleId: string; action: string; count: number };
const COUNTER_COLUMNS: ColumnSpec<CounterRow> = [
  ["minute", "timestamptz", (c) => c.minute],
  ["application_id", "text", (c) => c.applicationId],
  ["family", "text", (c) => c.family],
  ["rule_id", "text", (c) => c.ruleId],
  ["action", "text", (c) => c.action],
  ["count", "bigint", (c) => c.count],
];

const events = unnestSql("e", EVENT_COLUMNS, 8);
const counters = unnestSql("c", COUNTER_COLUMNS, 8 + EVENT_COLUMNS.length);
const ROLLUP_KEY = "hour, dimension, application_id, family, action, value";
const RULE_KEY = "grain, bucket, application_id, family, rule_id, action";
const FAMILY_KEY = "grain, bucket, application_id, family, action";
// $1 concurrency, $2 slot class, $3 target, $4 batch id, $5 instance, $6 events, $7 dropped, $8… columns.
const STORE_BATCH = `
WITH slot AS MATERIALIZED (
  SELECT s FROM generate_series(0, $1::int - 1) AS s WHERE pg_try_advisory_xact_lock($2::int, s) LIMIT 1
), fresh AS (
  INSERT INTO security_event_batches (target_id, batch_id, instance_id, events, dropped)
  SELECT $3::uuid, $4::uuid, $5::text, $6::int, $7::int FROM slot
  ON CONFLICT (target_id, batch_id) DO NOTHING
  RETURNING 1
), e AS MATERIALIZED (
  SELECT * FROM ${events} WHERE EXISTS (SELECT 1 FROM fresh)
), c AS MATERIALIZED (
  SELECT * FROM ${counters} WHERE EXISTS (SELECT 1 FROM fresh)
), stored_events AS (
  INSERT INTO security_events (id, occurred_at, target_id, instance_id, batch_id, request_id, application_id, policy_version_id,
    policy_hash, action, family, rule_id, method, host, path, part, parameter, excerpt, client_ip, status)
  SELECT gen_random_uuid(), e.occurred_at, $3::uuid, $5::text, $4::uuid, e.request_id, e.application_id, e.policy_version_id,
    e.policy_hash, e.action, e.family, e.rule_id, e.method, e.host, e.path, e.part, e.parameter, e.excerpt, e.client_ip, e.status
  FROM e
), stored_counters AS (
  INSERT INTO security_event_counters (minute, application_id, family, rule_id, action, count)
  SELECT * FROM c ORDER BY minute, application_id, family, rule_id, action
  ON CONFLICT (minute, application_id, family, rule_id, action) DO UPDATE SET count = security_event_counters.count + EXCLUDED.count
), c_by_grain AS MATERIALIZED (
  SELECT g.grain, date_trunc(g.grain, c.minute, 'UTC') AS bucket, c.application_id, c.family, c.rule_id, c.action, c.count
  FROM c, (VALUES ('hour'), ('day')) AS g(grain)
), stored_rule_rollups AS (
  INSERT INTO security_event_rule_rollups (${RULE_KEY}, count)
  SELECT ${RULE_KEY}, sum(count) FROM c_by_grain GROUP BY ${RULE_KEY} ORDER BY ${RULE_KEY}
  ON CONFLICT (${RULE_KEY}) DO UPDATE SET count = security_event_rule_rollups.count + EXCLUDED.count
), stored_family_rollups AS (
  INSERT INTO security_event_family_rollups (${FAMILY_KEY}, count)
  SELECT ${FAMILY_KEY}, sum(count) FROM c_by_grain GROUP BY ${FAMILY_KEY} ORDER BY ${FAMILY_KEY}
  ON CONFLICT (${FAMILY_KEY}) DO UPDATE SET count = security_event_family_rollups.count + EXCLUDED.count
), stored_rollups AS (
  INSERT INTO security_event_rollups (${ROLLUP_KEY}, count)
  SELECT ${ROLLUP_KEY}, count(*) FROM (
    SELECT date_trunc('hour', occurred_at, 'UTC') AS hour, d.dimension, coalesce(application_id::text, '') AS application_id, family, action,
      CASE d.dimension WHEN 'path' THEN path ELSE client_ip END AS value
    FROM e, (VALUES ('path'), ('client')) AS d(dimension) WHERE e.action = 'logged'
  ) AS r
  GROUP BY ${ROLLUP_KEY} ORDER BY ${ROLLUP_KEY}
  ON CONFLICT (${ROLLUP_KEY}) DO UPDATE SET count = security_event_rollups.count + EXCLUDED.count
)
SELECT (SELECT count(*) FROM slot)::int AS slot, (SELECT count(*) FROM fresh)::int AS fresh`;

export function postgresEventSink(options: { concurrency: number; retentionDays: number }): SecurityEventSink {
  return {
    async ingest(batch: IngestBatch): Promise<IngestResult> {
      const now = Date.now();
      const oldest = retentionStart(new Date(now), options.retentionDays).getTime();
      const newest = now + FUTURE_SLACK_MS;
      // Events older than retention would land in a partition about to be dropped, and
      // events from the future are a clock problem: neither is stored (both are counted).
      const kept: CleanEvent[] = [];
      const days = new Set<string>();
      for (const e of batch.events) {
        const at = Date.parse(e.time);
        if (at < oldest || at > newest) continue;
        kept.push(e);
        days.add(e.time.slice(0, 10)); // the wire's times are ISO UTC: the day is their prefix
      }
      const stale = batch.events.length - kept.length;
      await ensureDays(days);
      const merged = mergeCounters(batch.counters, oldest, newest);

      const params = [
        options.concurrency,
        SLOTS,
        batch.targetId,
        batch.batchId,
        batch.instanceId,
        kept.length,
        Math.min(batch.dropped + stale, 2_147_483_647),
        ...columnArrays(EVENT_COLUMNS, kept),
        ...columnArrays(COUNTER_COLUMNS, merged),
      ];
      try {
        const { rows } = await eventStorePool(options.concurrency).query<{ slot: number; fresh: number }>({
          name: "rampart-store-event-batch",
          text: STORE_BATCH,
          values: params,
        });
        if (rows[0]!.slot === 0) return { kind: "overloaded", retryAfterSeconds: RETRY_AFTER_SECONDS };
        if (rows[0]!.fresh === 0) return { kind: "duplicate" };
        return { kind: "stored", events: kept.length };
      } catch (error) {
        if (TRANSIENT.has((error as { code?: string }).code ?? "")) return { kind: "overloaded", retryAfterSeconds: RETRY_AFTER_SECONDS };
        throw error;
      }
    },
  };
}

async function ensureDays(days: Set<string>): Promise<void> {
  const missing = [...days].filter((d) => !knownDays.has(d));
  if (missing.length === 0) return;
  for (const day of await listEventPartitions(db)) knownDays.add(day);
  const create = missing.filter((d) => !knownDays.has(d));
  if (create.length > 0) {
    await ensureEventPartitions(db, create);
    for (const day of create) knownDays.add(day);
  }
}

/** One row per key (ON CONFLICT cannot touch a row twice in one statement), in the window kept. */
function mergeCounters(counters: IngestBatch["counters"], oldest: number, newest: number): CounterRow[] {
  const merged = new Map<string, CounterRow>();
  for (const c of counters) {
    const minute = Date.parse(c.minute);
    if (minute < oldest || minute > newest) continue;
    const at = new Date(minute - (minute % 60_000)).toISOString();
    const key = `${at}\u0000${c.applicationId ?? ""}\u0000${c.family}\u0000${c.ruleId}\u0000${c.action}`;
    const row = merged.get(key);
    if (row) row.count += c.count;
    else merged.set(key, { minute: at, applicationId: c.applicationId ?? "", family: c.family, ruleId: c.ruleId, action: c.action, count: c.count });
  }
  return [...merged.values()];
}
