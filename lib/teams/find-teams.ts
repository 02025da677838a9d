import "server-only";
import { type Actor } from "@/lib/auth/actor";
import { grantOf } from "@/lib/auth/permissions";
import { skipTake } from "@/lib/shared/pagination";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ListTeamsQuery } from "./team-schemas";
import { teamCounts, toTeamView } from "./to-team-view";

/** A where-clause on teams themselves (not on a teamId column) for what the actor may read. */
export function readableTeams(actor: Actor): Prisma.TeamWhereInput {
  const grant = grantOf(actor.grants, "teams:read");
  return grant.org ? {} : { id: { in: [...grant.teamIds] } };
}

export async function findTeams({ actor, query }: { actor: Actor; query: ListTeamsQuery }) {
  const where: Prisma.TeamWhereInput = {
    AND: [
      readableTeams(actor),
      query.q ? { OR: [{ name: { contains: query.q, mode: "insensitive" } }, { slug: { contains: query.q, mode: "insensitive" } }] } : {},
    ],
  };
  const [rows, total] = await Promise.all([
    db.team.findMany({ where, include: teamCounts, orderBy: [{ name: "asc" }], ...skipTake(query.page, query.pageSize) }),
    db.team.count({ where }),
  ]);
  return { items: rows.map(toTeamView), total, page: query.page, pageSize: query.pageSize };
}

/**
 * The teams the actor may read as a picker lists them (filters, forms): names only, in one
 * query, without the member and application counts and the total findTeams adds.
 */
export async function findTeamChoices({ actor, take = 100 }: { actor: Actor; take?: number }) {
  return db.team.findMany({ where: readableTeams(actor), select: { id: true, slug: true, name: true }, orderBy: [{ name: "asc" }], take });
}
