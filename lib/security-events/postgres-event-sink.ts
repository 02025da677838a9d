import "server-only";
import { db } from "@/lib/db/client";
import { ensureEventPartitions, listEventPartitions, retentionStart, utcDay } from "./event-partitions";
import type { IngestBatch, IngestResult, SecurityEventSink } from "./event-sink";

// The PostgreSQL sink. Back-pressure is measured in the database, not in one process:
// a batch is written only while holding one of `concurrency` ingestion slots, which are
// transaction-scoped advisory locks (pg_try_advisory_xact_lock(SLOTS, n)), so all
// replicas together never write more than `concurrency` batches at once; a request that
// finds every slot taken is answered 429 with Retry-After, and the proxy resends later.
// The batch id row is inserted first in the same transaction, so a resent batch (the
// proxy timed out while we committed) is acknowledged and never stored twice.

const SLOTS = 0x52_41_4d_45; // "RAME": the advisory-lock class of the ingestion slots
const RETRY_AFTER_SECONDS = 2;
const FUTURE_SLACK_MS = 10 * 60_000;

/** Days known to have a partition (a cache of the catalogue; a miss asks the database). */
const knownDays = new Set<string>();

export function postgresEventSink(options: { concurrency: number; retentionDays: number }): SecurityEventSink {
  return {
    async ingest(batch: IngestBatch): Promise<IngestResult> {
      const now = Date.now();
      const oldest = retentionStart(new Date(now), options.retentionDays).getTime();
      // Events older than retention would land in a partition about to be dropped, and
      // events from the future are a clock problem: neither is stored (both are counted).
      const events = batch.events.filter((e) => e.occurredAt.getTime() >= oldest && e.occurredAt.getTime() <= now + FUTURE_SLACK_MS);
      const stale = batch.events.length - events.length;
      await ensureDays(new Set(events.map((e) => utcDay(e.occurredAt))));
      const counters = mergeCounters(batch.counters, oldest, now + FUTURE_SLACK_MS);

      return db.$transaction(
        async (tx) => {
          const slot = await tx.$queryRaw<{ slot: number }[]>`
            SELECT s AS slot FROM generate_series(0, ${options.concurrency - 1}::int) AS s
            WHERE pg_try_advisory_xact_lock(${SLOTS}::int, s) LIMIT 1`;
          if (slot.length === 0) return { kind: "overloaded", retryAfterSeconds: RETRY_AFTER_SECONDS } as const;

          const fresh = await tx.$queryRaw<{ batch_id: string }[]>`
            INSERT INTO security_event_batches (target_id, batch_id, instance_id, events, dropped)
            VALUES (${batch.targetId}::uuid, ${batch.batchId}::uuid, ${batch.instanceId}, ${events.length}, ${Math.min(batch.dropped + stale, 2_147_483_647)})
            ON CONFLICT (target_id, batch_id) DO NOTHING
            RETURNING batch_id`;
          if (fresh.length === 0) return { kind: "duplicate" } as const;

          if (events.length > 0) {
            const rows = JSON.stringify(
              events.map((e) => ({
                occurred_at: e.occurredAt.toISOString(),
                request_id: e.requestId,
                application_id: e.applicationId,
                policy_version_id: e.policyVersionId,
                policy_hash: e.policyHash,
                action: e.action,
                family: e.family,
                rule_id: e.ruleId,
                method: e.method,
                host: e.host,
                path: e.path,
                part: e.part,
                parameter: e.parameter,
                excerpt: e.excerpt,
                client_ip: e.clientIp,
                status: e.status,
              })),
            );
            await tx.$executeRaw`
              INSERT INTO security_events (id, occurred_at, target_id, instance_id, batch_id, request_id, application_id, policy_version_id,
                policy_hash, action, family, rule_id, method, host, path, part, parameter, excerpt, client_ip, status)
              SELECT gen_random_uuid(), r.occurred_at, ${batch.targetId}::uuid, ${batch.instanceId}, ${batch.batchId}::uuid, r.request_id,
                r.application_id, r.policy_version_id, r.policy_hash, r.action, r.family, r.rule_id, r.method, r.host, r.path, r.part,
                r.parameter, r.excerpt, r.client_ip, r.status
              FROM jsonb_to_recordset(${rows}::jsonb) AS r(occurred_at timestamptz, request_id text, application_id uuid, policy_version_id text,
                policy_hash text, action text, family text, rule_id text, method text, host text, path text, part text, parameter text,
                excerpt text, client_ip text, status int)`;
          }
          if (counters.length > 0) {
            // Sorted keys: two batches updating the same counters lock them in the same order (no deadlock).
            await tx.$executeRaw`
              INSERT INTO security_event_counters (minute, application_id, family, rule_id, action, count)
              SELECT r.minute, r.application_id, r.family, r.rule_id, r.action, r.count
              FROM jsonb_to_recordset(${JSON.stringify(counters)}::jsonb) AS r(minute timestamptz, application_id text, family text, rule_id text, action text, count bigint)
              ORDER BY r.minute, r.application_id, r.family, r.rule_id, r.action
              ON CONFLICT (minute, application_id, family, rule_id, action) DO UPDATE SET count = security_event_counters.count + EXCLUDED.count`;
          }
          return { kind: "stored", events: events.length } as const;
        },
        { maxWait: 5_000, timeout: 30_000 },
      );
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

type CounterRow = { minute: string; application_id: string; family: string; rule_id: string; action: string; count: number };

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
    else merged.set(key, { minute: at, application_id: c.applicationId ?? "", family: c.family, rule_id: c.ruleId, action: c.action, count: c.count });
  }
  return [...merged.values()];
}
