import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { grantOf } from "@/lib/auth/permissions";
import { db } from "@/lib/db/client";
import { decisionReference } from "./decision-reference";

/** How many teams the save form offers (an organisation-wide proposer sees every team). */
const MAX_TEAMS = 200;

export type DecisionTarget = {
  teamId: string;
  teamName: string;
  /** The team-wide decision in force, if any. */
  teamDecision: { id: string; reference: string; architecture: string } | null;
  applications: { id: string; name: string; slug: string; decision: { id: string; reference: string; architecture: string } | null }[];
};

/**
 * What the actor may propose a decision for: their teams (all teams for an
 * organisation-wide proposer), each with its active applications and the decision in
 * force for each, so the form can say what a new record would collide with.
 */
export async function findDecisionTargets({ actor }: { actor: Actor }): Promise<DecisionTarget[]> {
  const grant = grantOf(actor.grants, "architecture:propose");
  if (!grant.org && grant.teamIds.size === 0) return [];
  const accepted = { where: { status: "accepted" as const }, select: { id: true, number: true, architecture: true } };
  const teams = await db.team.findMany({
    where: grant.org ? {} : { id: { in: [...grant.teamIds] } },
    orderBy: { name: "asc" },
    take: MAX_TEAMS,
    select: {
      id: true,
      name: true,
      architectureDecisions: { where: { status: "accepted", applications: { none: {} } }, select: accepted.select, take: 1 },
      applications: {
        where: { archivedAt: null },
        orderBy: { name: "asc" },
        select: {
          id: true,
          name: true,
          slug: true,
          architectureDecisions: { where: { decision: { status: "accepted" } }, select: { decision: { select: accepted.select } }, take: 1 },
        },
      },
    },
  });
  const ref = (d: { id: string; number: number; architecture: string } | undefined) =>
    d ? { id: d.id, reference: decisionReference(d.number), architecture: d.architecture } : null;
  return teams.map((t) => ({
    teamId: t.id,
    teamName: t.name,
    teamDecision: ref(t.architectureDecisions[0]),
    applications: t.applications.map((a) => ({ id: a.id, name: a.name, slug: a.slug, decision: ref(a.architectureDecisions[0]?.decision) })),
  }));
}
