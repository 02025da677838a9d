import "server-only";
import { skipTake } from "@/lib/shared/pagination";
import { teamScope, type Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { changeRequestSelect } from "./change-request-records";
import type { ListChangeRequestsQuery } from "./change-request-schemas";

/** Change requests the caller may read (security officers: all; teams: their own), oldest open first. */
export async function findChangeRequests({ actor, query }: { actor: Actor; query: ListChangeRequestsQuery }) {
  const where: Prisma.PolicyChangeRequestWhereInput = {
    AND: [
      { application: teamScope(actor, "policies:read") },
      query.status ? { status: query.status } : {},
      query.applicationId ? { applicationId: query.applicationId } : {},
      query.teamId ? { application: { teamId: query.teamId } } : {},
    ],
  };
  const [items, total] = await Promise.all([
    db.policyChangeRequest.findMany({
      where,
      select: changeRequestSelect,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      ...skipTake(query.page, query.pageSize),
    }),
    db.policyChangeRequest.count({ where }),
  ]);
  return { items, total, page: query.page, pageSize: query.pageSize };
}
