// No "server-only" marker: the exception expiry sweep enqueues from lib/cli/serve.ts, outside Next.js.
import { randomUUID } from "node:crypto";
import type { DbTransaction } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

export type TeamWebhookNotice = {
  /** The event name receivers dispatch on, sent as X-Rampart-Event (the notification kind). */
  event: string;
  title: string;
  body: string;
  /** The portal path the in-app notification links to. */
  link: string | null;
  /** What the event is about, for receivers that act on it. */
  data: Record<string, Prisma.InputJsonValue>;
};

/**
 * Puts a notice for the team's webhook into the outbox, inside the caller's transaction:
 * the delivery exists exactly when the in-app notifications it mirrors do, and survives a
 * restart until the webhook sweep has sent it. A team without a webhook URL gets nothing.
 * Returns the delivery id (also the payload's `id`, for receivers to drop repeats).
 */
export async function enqueueTeamWebhook(tx: DbTransaction, { teamId, notice, now = new Date() }: { teamId: string; notice: TeamWebhookNotice; now?: Date }) {
  const team = await tx.team.findUnique({ where: { id: teamId }, select: { slug: true, name: true, webhookUrl: true } });
  if (!team?.webhookUrl) return null;
  const id = randomUUID();
  await tx.webhookDelivery.create({
    data: {
      id,
      teamId,
      event: notice.event,
      payload: {
        id,
        event: notice.event,
        createdAt: now.toISOString(),
        team: { id: teamId, slug: team.slug, name: team.name },
        title: notice.title,
        body: notice.body,
        link: notice.link,
        data: notice.data,
      },
      nextAttemptAt: now,
    },
  });
  return id;
}
