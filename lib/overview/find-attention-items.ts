import "server-only";
import { can, teamScope, type Actor, type RequestContext } from "@/lib/auth/actor";
import { listExceptionsQuery } from "@/lib/approvals/exception-schemas";
import { countApprovalQueue } from "@/lib/approvals/find-approval-queue";
import { findExceptions } from "@/lib/approvals/find-exceptions";
import { db } from "@/lib/db/client";
import { getDeliveryRollout } from "@/lib/delivery/get-delivery-rollout";
import { findBlockSpikes } from "@/lib/security-events/find-block-spikes";

export type AttentionItem = { key: string; text: string; href: string; count: number };

/**
 * The home page's "what needs me now", by what the actor may do: reviews waiting
 * (reviewers), architecture decisions awaiting acceptance (those who accept), failing or
 * stale proxies (delivery readers), exceptions expiring within 14 days and block spikes (an
 * application blocking more than 3× its 7-day average) for the applications they see.
 * Each part is computed by its own domain, so scope and wording stay theirs.
 */
export async function findAttentionItems({ ctx, actor, now = new Date() }: { ctx: RequestContext; actor: Actor; now?: Date }): Promise<AttentionItem[]> {
  const items: AttentionItem[] = [];
  const parts: Promise<void>[] = [];
  if (can(actor, "policies:review")) {
    parts.push(
      countApprovalQueue({ actor, now }).then((total) => {
        if (total > 0)
          items.push({
            key: "reviews",
            text: `${total} policy version${total === 1 ? "" : "s"} waiting for review`,
            href: "/approvals",
            count: total,
          });
      }),
    );
  }
  if (can(actor, "architecture:accept")) {
    parts.push(
      db.architectureDecision.count({ where: { status: "proposed", authorId: { not: actor.user.id } } }).then((n) => {
        if (n > 0)
          items.push({ key: "decisions", text: `${n} architecture decision${n === 1 ? "" : "s"} awaiting acceptance`, href: "/architecture", count: n });
      }),
    );
  }
  if (can(actor, "delivery:read")) {
    parts.push(
      getDeliveryRollout({ ctx }).then((rollout) => {
        const instances = rollout.targets.flatMap((t) => (t.revokedAt ? [] : t.instances));
        const failing = instances.filter((i) => i.state === "failing").length;
        const stale = instances.filter((i) => i.state === "stale").length;
        if (failing + stale > 0) {
          items.push({
            key: "proxies",
            text:
              [failing > 0 ? `${failing} failing` : "", stale > 0 ? `${stale} stale` : ""].filter(Boolean).join(" and ") +
              ` prox${failing + stale === 1 ? "y" : "ies"}`,
            href: "/delivery",
            count: failing + stale,
          });
        }
      }),
    );
  }
  if (can(actor, "policies:read")) {
    parts.push(
      findExceptions({ actor, query: listExceptionsQuery.parse({ pageSize: 1, expiringWithinDays: 14, status: "active" }), now }).then((page) => {
        if (page.total > 0)
          items.push({
            key: "exceptions",
            text: `${page.total} exception${page.total === 1 ? "" : "s"} expiring within 14 days`,
            href: "/exceptions?expiringWithinDays=14",
            count: page.total,
          });
      }),
    );
  }
  if (can(actor, "security-events:read")) {
    parts.push(
      findBlockSpikes({ teamIds: teamScope(actor, "security-events:read").teamId?.in ?? null, now }).then((spikes) => {
        for (const spike of spikes) {
          items.push({
            key: `spike-${spike.applicationId}`,
            text: `${spike.name} blocked ${spike.last24h.toLocaleString("en")} requests in 24 h, ${spike.ratio.toFixed(1)}× its 7-day average`,
            href: `/security-events?applicationId=${spike.applicationId}`,
            count: spike.last24h,
          });
        }
      }),
    );
  }
  await Promise.all(parts);
  const order = ["reviews", "decisions", "proxies", "exceptions"];
  return items.sort((a, b) => (order.indexOf(a.key) === -1 ? 99 : order.indexOf(a.key)) - (order.indexOf(b.key) === -1 ? 99 : order.indexOf(b.key)));
}
