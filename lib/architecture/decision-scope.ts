import "server-only";
import type { DbTransaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { decisionReference } from "./decision-reference";

// At most one accepted decision applies to an application: either a record naming it,
// or failing that its team's team-wide record. Two accepted records naming the same
// application, or two team-wide records of one team, would make "the" decision
// ambiguous, so proposing or accepting such a record is refused with CONFLICT unless
// it revisits (and so supersedes) the one in force.

/**
 * Serialises decision changes of one team for the rest of the transaction. Checking
 * for an overlapping accepted record and accepting are then one step: two accepts
 * racing for the same application cannot both pass the check.
 */
export async function lockTeamDecisions(tx: DbTransaction, teamId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`architecture-decisions:${teamId}`}, 0))`;
}

/** Accepted records of the team that cover the same scope, other than `excludeIds`. */
export async function findOverlappingAccepted(
  tx: DbTransaction,
  { teamId, applicationIds, excludeIds }: { teamId: string; applicationIds: string[]; excludeIds: string[] },
) {
  return tx.architectureDecision.findMany({
    where: {
      teamId,
      status: "accepted",
      id: { notIn: excludeIds },
      applications: applicationIds.length === 0 ? { none: {} } : { some: { applicationId: { in: applicationIds } } },
    },
    select: { id: true, number: true, applications: { select: { application: { select: { id: true, name: true } } } } },
    orderBy: { number: "asc" },
  });
}

export function overlapConflict(overlapping: Awaited<ReturnType<typeof findOverlappingAccepted>>, applicationIds: string[]): AppError {
  const first = overlapping[0]!;
  const names = first.applications
    .map((a) => a.application)
    .filter((a) => applicationIds.includes(a.id))
    .map((a) => a.name);
  const what = applicationIds.length === 0 ? "the team as a whole" : names.join(", ");
  return new AppError(
    "CONFLICT",
    `${decisionReference(first.number)} is already the accepted decision for ${what}. Revisit ${decisionReference(first.number)} instead: a revision supersedes it once accepted.`,
    { details: { conflictingDecisions: overlapping.map((d) => ({ id: d.id, reference: decisionReference(d.number) })) } },
  );
}
