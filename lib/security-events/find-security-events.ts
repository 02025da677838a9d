import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import { readableApplicationIds, securityEventsWhere } from "./security-event-scope";
import type { ListSecurityEventsQuery, SecurityEventFilters } from "./security-event-schemas";

export const securityEventSelect = {
  id: true,
  occurredAt: true,
  receivedAt: true,
  targetId: true,
  instanceId: true,
  requestId: true,
  applicationId: true,
  policyVersionId: true,
  policyHash: true,
  action: true,
  family: true,
  ruleId: true,
  method: true,
  host: true,
  path: true,
  part: true,
  parameter: true,
  excerpt: true,
  clientIp: true,
  status: true,
} as const;

type Row = { occurredAt: Date; id: string; applicationId: string | null; action: string };

/** Security events the actor may read, newest first, a page at a time ({items, nextCursor}). */
export async function findSecurityEvents({ actor, query }: { actor: Actor; query: ListSecurityEventsQuery }) {
  const readable = await readableApplicationIds(actor);
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await db.securityEvent.findMany({
    where: {
      AND: [securityEventsWhere(readable, query), after ? olderThan(after) : {}],
    },
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
    select: securityEventSelect,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { items: await withApplications(page), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
}

/** Up to `limit` events, newest first, in pages of the database (for the NDJSON export). */
export async function* iterateSecurityEvents({ actor, filters, limit }: { actor: Actor; filters: SecurityEventFilters; limit: number }) {
  const readable = await readableApplicationIds(actor);
  let after: { occurredAt: Date; id: string } | null = null;
  let left = limit;
  while (left > 0) {
    const take = Math.min(left, 1000);
    const rows: Awaited<ReturnType<typeof db.securityEvent.findMany<{ select: typeof securityEventSelect }>>> = await db.securityEvent.findMany({
      where: {
        AND: [securityEventsWhere(readable, filters), after ? olderThan(after) : {}],
      },
      orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
      take,
      select: securityEventSelect,
    });
    if (rows.length === 0) return;
    yield* await withApplications(rows);
    left -= rows.length;
    const last = rows.at(-1)!;
    after = { occurredAt: last.occurredAt, id: last.id };
    if (rows.length < take) return;
  }
}

/** Each row with its application's name and slug (one query per page). */
export async function withApplications<T extends Row>(rows: T[]) {
  const ids = [...new Set(rows.map((r) => r.applicationId).filter((id): id is string => id !== null))];
  const apps = ids.length === 0 ? [] : await db.application.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, slug: true } });
  const byId = new Map(apps.map((a) => [a.id, a]));
  return rows.map((r) => ({ ...r, application: r.applicationId ? (byId.get(r.applicationId) ?? null) : null }));
}

/**
 * Keyset condition: rows after (older than) the cursor's row. The plain bound on the time
 * lets PostgreSQL start the index scan there and skip the newer days' partitions, so a page
 * deep in costs what the first one does.
 */
function olderThan(after: { occurredAt: Date; id: string }): Prisma.SecurityEventWhereInput {
  return {
    occurredAt: { lte: after.occurredAt },
    OR: [{ occurredAt: { lt: after.occurredAt } }, { id: { lt: after.id } }],
  };
}

function encodeCursor(row: { occurredAt: Date; id: string }): string {
  return Buffer.from(`${row.occurredAt.toISOString()}|${row.id}`, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): { occurredAt: Date; id: string } {
  const [time, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const occurredAt = new Date(time ?? "");
  if (Number.isNaN(occurredAt.getTime()) || !id || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new AppError("VALIDATION_FAILED", "The request query is invalid.", {
      fieldErrors: [{ path: "query.cursor", message: "is not a cursor this list returned" }],
    });
  }
  return { occurredAt, id };
}
