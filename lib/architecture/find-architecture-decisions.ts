import "server-only";
import { skipTake } from "@/lib/shared/pagination";
import { teamScope, type Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ListDecisionsQuery } from "./architecture-schemas";
import { decisionInclude, toDecisionView } from "./decision-view";

/** Decision records the actor may read, newest first, filtered and paginated. */
export async function findArchitectureDecisions({ actor, query }: { actor: Actor; query: ListDecisionsQuery }) {
  const where: Prisma.ArchitectureDecisionWhereInput = {
    AND: [
      teamScope(actor, "architecture:read"),
      query.teamId ? { teamId: query.teamId } : {},
      query.status ? { status: query.status } : {},
      query.applicationId ? { applications: { some: { applicationId: query.applicationId } } } : {},
    ],
  };
  const [rows, total] = await Promise.all([
    db.architectureDecision.findMany({
      where,
      include: decisionInclude,
      orderBy: [{ number: "desc" }],
      ...skipTake(query.page, query.pageSize),
    }),
    db.architectureDecision.count({ where }),
  ]);
  return { items: rows.map(toDecisionView), total, page: query.page, pageSize: query.pageSize };
}
