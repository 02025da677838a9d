import "server-only";
import { teamScope, type Actor } from "@/lib/auth/actor";
import { skipTake } from "@/lib/shared/pagination";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ListApplicationsQuery } from "./application-schemas";

export const applicationInclude = { team: { select: { id: true, slug: true, name: true } } } as const;

/** Applications the actor may read, filtered and paginated. */
export async function findApplications({ actor, query }: { actor: Actor; query: ListApplicationsQuery }) {
  const where: Prisma.ApplicationWhereInput = {
    AND: [
      teamScope(actor, "applications:read"),
      query.teamId ? { teamId: query.teamId } : {},
      query.exposure ? { exposure: query.exposure } : {},
      query.archived === "all" ? {} : { archivedAt: query.archived === "true" ? { not: null } : null },
      query.q
        ? {
            OR: [{ name: { contains: query.q, mode: "insensitive" } }, { slug: { contains: query.q, mode: "insensitive" } }],
          }
        : {},
    ],
  };
  const [items, total] = await Promise.all([
    db.application.findMany({
      where,
      include: applicationInclude,
      orderBy: [{ name: "asc" }, { id: "asc" }],
      ...skipTake(query.page, query.pageSize),
    }),
    db.application.count({ where }),
  ]);
  return { items, total, page: query.page, pageSize: query.pageSize };
}
