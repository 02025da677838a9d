import "server-only";
import { db } from "@/lib/db/client";
import type { ProxyStatusReport } from "@/lib/policy-spec";
import type { DeliveryTargetPrincipal } from "./authenticate-delivery-target";

// Instances that stopped reporting a week ago are gone (restarted under a new id, scaled down).
const FORGET_AFTER_MS = 7 * 86_400_000;

/**
 * Records a proxy instance's heartbeat: one row per (target, instance), replaced by each
 * report. Not audited: it is telemetry, arriving every few seconds from every proxy.
 */
export async function recordProxyStatus({ target, report }: { target: DeliveryTargetPrincipal; report: ProxyStatusReport }) {
  const now = new Date();
  // refusedHash is optional on the wire (proxies of an earlier release leave it out); stored rows always carry it.
  const reloadErrors = report.reloadErrors.map((e) => ({ at: e.at, message: e.message, refusedHash: e.refusedHash ?? null }));
  // One statement, one round trip: heartbeats come from every proxy every few seconds, and
  // a transaction of an upsert and a delete took five (BEGIN, the two, COMMIT, and the
  // upsert's own read). The forgetting rides along as a data-modifying CTE.
  await db.$executeRaw`
    WITH forgotten AS (
      DELETE FROM proxy_instance_statuses
      WHERE target_id = ${target.id}::uuid AND last_seen_at < ${new Date(now.getTime() - FORGET_AFTER_MS)} AND instance_id <> ${report.instanceId}
    )
    INSERT INTO proxy_instance_statuses
      (id, target_id, instance_id, hostname, mode, proxy_version, started_at, running_hash, running, reload_errors, counters, first_seen_at, last_seen_at)
    VALUES (gen_random_uuid(), ${target.id}::uuid, ${report.instanceId}, ${report.hostname}, ${report.mode}, ${report.proxyVersion},
            ${new Date(report.startedAt)}, ${report.runningHash}, ${JSON.stringify(report.running)}::jsonb, ${JSON.stringify(reloadErrors)}::jsonb,
            ${JSON.stringify(report.counters)}::jsonb, ${now}, ${now})
    ON CONFLICT (target_id, instance_id) DO UPDATE SET
      hostname = EXCLUDED.hostname, mode = EXCLUDED.mode, proxy_version = EXCLUDED.proxy_version, started_at = EXCLUDED.started_at,
      running_hash = EXCLUDED.running_hash, running = EXCLUDED.running, reload_errors = EXCLUDED.reload_errors,
      counters = EXCLUDED.counters, last_seen_at = EXCLUDED.last_seen_at`;
}
