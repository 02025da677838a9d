import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { getApplication } from "@/lib/applications/get-application";
import { db, type DbTransaction } from "@/lib/db/client";
import type { Architecture, DecisionStatus } from "@/lib/generated/prisma/client";
import type { EffectiveArchitectureView } from "./architecture-schemas";
import { decisionReference } from "./decision-reference";
import { describeEffectiveArchitecture } from "./describe-effective-architecture";

// The architecture in force for an application, and what it means: the one function the
// rest of Rampart asks (policy editing rights, delivery), so that none of it branches on
// decision records itself. A record naming the application wins over the team's
// team-wide record; with neither, the answer is "undecided" and fails closed
// (see describe-effective-architecture.ts).

type DecisionRow = {
  id: string;
  number: number;
  status: DecisionStatus;
  title: string;
  acceptedAt: Date | null;
  architecture: Architecture;
  namesApplication: boolean;
  teamWide: boolean;
};

/** For internal callers that have already authorised access to the application. */
export async function getEffectiveArchitectureForApplication({
  application,
  tx,
}: {
  application: { id: string; teamId: string };
  tx?: DbTransaction;
}): Promise<EffectiveArchitectureView> {
  // One query for the three questions (the accepted record naming the application, the
  // accepted team-wide one, the proposed ones that would apply): policy pages, the policy
  // API and delivery ask this on every call, and it was three round trips.
  const applies = await (tx ?? db).$queryRaw<DecisionRow[]>`
    SELECT * FROM (
      SELECT d.id::text AS id, d.number, d.status::text AS status, d.title, d.accepted_at AS "acceptedAt", d.architecture::text AS architecture,
             EXISTS (SELECT 1 FROM architecture_decision_applications x WHERE x.decision_id = d.id AND x.application_id = ${application.id}::uuid) AS "namesApplication",
             NOT EXISTS (SELECT 1 FROM architecture_decision_applications x WHERE x.decision_id = d.id) AS "teamWide"
      FROM architecture_decisions d
      WHERE d.team_id = ${application.teamId}::uuid AND d.status IN ('accepted', 'proposed')
    ) d
    WHERE "namesApplication" OR "teamWide"
    ORDER BY "acceptedAt" DESC, number ASC`;
  // Rows come newest acceptance first (PostgreSQL sorts a NULL first in DESC, as Prisma's orderBy did).
  const own = applies.find((d) => d.status === "accepted" && d.namesApplication) ?? null;
  const teamWide = own ? null : (applies.find((d) => d.status === "accepted" && d.teamWide) ?? null);
  const pending = applies
    .filter((d) => d.status === "proposed")
    .sort((a, b) => a.number - b.number)
    .map(({ id, number, status, architecture }) => ({ id, number, status, architecture }));
  const decision = own ?? teamWide;
  const consequences = describeEffectiveArchitecture(decision?.architecture ?? null);
  return {
    applicationId: application.id,
    architecture: consequences.architecture,
    source: own ? "application" : teamWide ? "team" : null,
    decision: decision
      ? {
          id: decision.id,
          number: decision.number,
          reference: decisionReference(decision.number),
          status: decision.status,
          title: decision.title,
          acceptedAt: decision.acceptedAt?.toISOString() ?? null,
        }
      : null,
    pending: pending.map((p) => ({ ...p, reference: decisionReference(p.number) })),
    baselineEnforcement: consequences.baselineEnforcement,
    editing: consequences.editing,
    deliveryTargets: consequences.deliveryTargets,
  };
}

/** For an actor: applications of other teams are "not found", as everywhere. */
export async function getEffectiveArchitecture({ actor, applicationId }: { actor: Actor; applicationId: string }) {
  const application = await getApplication({ actor, id: applicationId });
  return getEffectiveArchitectureForApplication({ application });
}
