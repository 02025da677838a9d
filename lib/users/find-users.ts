import "server-only";
import { skipTake } from "@/lib/shared/pagination";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ListUsersQuery } from "./user-schemas";
import { toUserView, userInclude } from "./to-user-view";

// users:read is organisation-wide only (see the permission table), so no team scoping here.
export async function findUsers({ query }: { query: ListUsersQuery }) {
  const where: Prisma.UserWhereInput = {
    AND: [
      query.q ? { OR: [{ email: { contains: query.q, mode: "insensitive" } }, { name: { contains: query.q, mode: "insensitive" } }] } : {},
      query.teamId ? { memberships: { some: { teamId: query.teamId } } } : {},
    ],
  };
  const [rows, total] = await Promise.all([
    db.user.findMany({ where, include: userInclude, orderBy: [{ email: "asc" }], ...skipTake(query.page, query.pageSize) }),
    db.user.count({ where }),
  ]);
  return { items: rows.map(toUserView), total, page: query.page, pageSize: query.pageSize };
}
