import "server-only";
import { teamScope, type Actor } from "@/lib/auth/actor";
import { skipTake } from "@/lib/shared/pagination";
import { db } from "@/lib/db/client";
import { BoundedMemo } from "@/lib/delivery/bounded-memo";
import type { Prisma } from "@/lib/generated/prisma/client";
import { actionsLabelled } from "./audit-action-labels";
import type { ListAuditEventsQuery } from "./audit-schemas";

/** Audit events the actor may read, newest first. `action` matches a prefix (e.g. "application."). */
export async function findAuditEvents({ actor, query }: { actor: Actor; query: ListAuditEventsQuery }) {
  const where = auditEventsWhere(actor, query);
  const [items, total] = await Promise.all([
    db.auditEvent.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...skipTake(query.page, query.pageSize) }),
    countAuditEvents(where),
  ]);
  return { items, total, page: query.page, pageSize: query.pageSize };
}

// The total of an organisation's audit log is a count over every row (100,000 rows: tens of
// milliseconds of database CPU per page view), while the page itself is an index read. The
// log only grows, so in production a total is reused for TOTAL_REUSE_MS per filter (and
// team scope): the items are always current, the count may leave out the last seconds' events.
const TOTAL_REUSE_MS = process.env.NODE_ENV === "production" ? 5_000 : 0;
const totals = new BoundedMemo<{ total: Promise<number>; until: number }>(1_000);

function countAuditEvents(where: Prisma.AuditEventWhereInput): Promise<number> {
  if (TOTAL_REUSE_MS === 0) return db.auditEvent.count({ where });
  const key = JSON.stringify(where);
  const now = Date.now();
  const known = totals.get(key);
  if (known && known.until > now) return known.total;
  const total = db.auditEvent.count({ where });
  totals.set(key, { total, until: now + TOTAL_REUSE_MS });
  total.catch(() => totals.delete(key));
  return total;
}

/** The events the actor may read that match the filters (shared by the list and the CSV export). */
export function auditEventsWhere(actor: Actor, query: Omit<ListAuditEventsQuery, "page" | "pageSize">): Prisma.AuditEventWhereInput {
  return {
    AND: [
      teamScope(actor, "audit:read"),
      query.actorId ? { actorId: query.actorId } : {},
      query.actor ? { actorLabel: { contains: query.actor, mode: "insensitive" } } : {},
      query.q ? searchWhere(query.q) : {},
      query.action ? { action: { startsWith: query.action } } : {},
      query.targetType ? { targetType: query.targetType } : {},
      query.targetId ? { targetId: query.targetId } : {},
      query.outcome ? { outcome: query.outcome } : {},
      query.from ? { createdAt: { gte: new Date(query.from) } } : {},
      query.to ? { createdAt: { lte: new Date(query.to) } } : {},
    ],
  };
}

function searchWhere(q: string): Prisma.AuditEventWhereInput {
  const labelled = actionsLabelled(q);
  return {
    OR: [
      { actorLabel: { contains: q, mode: "insensitive" } },
      { action: { contains: q, mode: "insensitive" } },
      { targetType: { contains: q, mode: "insensitive" } },
      { targetId: { contains: q, mode: "insensitive" } },
      ...(labelled.length > 0 ? [{ action: { in: labelled } }] : []),
    ],
  };
}
