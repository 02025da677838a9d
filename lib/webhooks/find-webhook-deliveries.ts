import "server-only";
import { db } from "@/lib/db/client";

export type WebhookDeliveryView = {
  id: string;
  event: string;
  createdAt: string;
  attempts: number;
  state: "delivered" | "pending" | "failed";
  deliveredAt: string | null;
  nextAttemptAt: string | null;
  lastError: string | null;
};

/**
 * A team's most recent webhook deliveries, newest first, for its administrators. The
 * caller checks access (the team page asks for teams:manage); this reads no payloads.
 */
export async function findWebhookDeliveries({ teamId, limit = 20 }: { teamId: string; limit?: number }): Promise<WebhookDeliveryView[]> {
  const rows = await db.webhookDelivery.findMany({
    where: { teamId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: limit,
    select: { id: true, event: true, createdAt: true, attempts: true, deliveredAt: true, nextAttemptAt: true, lastError: true },
  });
  return rows.map((r) => ({
    id: r.id,
    event: r.event,
    createdAt: r.createdAt.toISOString(),
    attempts: r.attempts,
    state: r.deliveredAt ? "delivered" : r.nextAttemptAt ? "pending" : "failed",
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
    lastError: r.lastError,
  }));
}
