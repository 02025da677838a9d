import "server-only";
import { teamScope, type Actor } from "@/lib/auth/actor";
import { skipTake } from "@/lib/api/pagination";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { actionsLabelled } from "./audit-action-labels";
import type { ListAuditEventsQuery } from "./audit-schemas";

/** Audit events the actor may read, newest first. `action` matches a prefix (e.g. "application."). */
export async function findAuditEvents({ actor, query }: { actor: Actor; query: ListAuditEventsQuery }) {
  const where = auditEventsWhere(actor, query);
  const [items, total] = await Promise.all([
    db.auditEvent.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...skipTake(query.page, query.pageSize) }),
    db.auditEvent.count({ where }),
  ]);
  return { items, total, page: query.page, pageSize: query.pageSize };
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
