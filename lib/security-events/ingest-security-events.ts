import "server-only";
import { db } from "@/lib/db/client";
import type { DeliveryTargetPrincipal } from "@/lib/delivery/authenticate-delivery-target";
import { AppError } from "@/lib/errors/app-error";
import { maskSecrets, type SecurityEventBatch } from "@/lib/policy-spec";
import { configuredEventSink } from "./configured-event-sink";
import type { IngestResult, SecurityEventSink } from "./event-sink";

/**
 * POST /api/v1/delivery/events: a proxy's batch, already validated against the wire
 * schema. What the proxy claims is not trusted: an application id the target does not
 * deliver is stored as none (a proxy cannot write events into another team's
 * application), and excerpts are masked again. Overload is a 429 with Retry-After.
 */
export async function ingestSecurityEvents(
  { target, batch }: { target: DeliveryTargetPrincipal; batch: SecurityEventBatch },
  sink: SecurityEventSink = configuredEventSink(),
): Promise<IngestResult> {
  const delivered = new Set(
    (await db.deliveryTargetApplication.findMany({ where: { targetId: target.id }, select: { applicationId: true } })).map((a) => a.applicationId),
  );
  const own = (id: string | null) => (id !== null && delivered.has(id) ? id : null);
  const result = await sink.ingest({
    targetId: target.id,
    batchId: batch.batchId,
    instanceId: batch.instanceId,
    events: batch.events.map((e) => ({
      ...e,
      applicationId: own(e.applicationId),
      excerpt: maskSecrets(e.part, e.parameter, e.excerpt),
    })),
    counters: batch.counters.map((c) => ({ ...c, applicationId: own(c.applicationId) })),
    dropped: batch.dropped,
  });
  if (result.kind === "overloaded") {
    throw new AppError("RATE_LIMITED", "The portal is storing as many event batches as it can; send this batch again later.", {
      details: { retryAfterSeconds: result.retryAfterSeconds },
    });
  }
  return result;
}
