import "server-only";
import { teamScope, type Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { SecurityEventFilters } from "./security-event-schemas";

/**
 * The applications whose events the actor may read: null for the whole organisation
 * (including events that matched no application), else their teams' applications.
 */
export async function readableApplicationIds(actor: Actor): Promise<string[] | null> {
  const scope = teamScope(actor, "security-events:read");
  if (scope.teamId === undefined) return null;
  const apps = await db.application.findMany({ where: { teamId: scope.teamId }, select: { id: true } });
  return apps.map((a) => a.id);
}

/** The Prisma filter of a query within what the actor may read. */
export function securityEventsWhere(readable: string[] | null, filters: SecurityEventFilters): Prisma.SecurityEventWhereInput {
  const path = filters.path;
  return {
    AND: [
      readable === null ? {} : { applicationId: { in: readable } },
      filters.applicationId ? { applicationId: filters.applicationId } : {},
      filters.family ? { family: filters.family } : {},
      filters.ruleId ? { ruleId: filters.ruleId } : {},
      filters.action ? { action: filters.action } : {},
      path ? (path.endsWith("*") ? { path: { startsWith: path.slice(0, -1) } } : { path }) : {},
      filters.clientIp ? { clientIp: filters.clientIp } : {},
      filters.from ? { occurredAt: { gte: new Date(filters.from) } } : {},
      filters.to ? { occurredAt: { lt: new Date(filters.to) } } : {},
    ],
  };
}
