import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { getApplication } from "@/lib/applications/get-application";
import { db, type DbTransaction } from "@/lib/db/client";
import type { EffectiveArchitectureView } from "./architecture-schemas";
import { decisionReference } from "./decision-reference";
import { describeEffectiveArchitecture } from "./describe-effective-architecture";

// The architecture in force for an application, and what it means: the one function the
// rest of Rampart asks (policy editing rights, delivery), so that none of it branches on
// decision records itself. A record naming the application wins over the team's
// team-wide record; with neither, the answer is "undecided" and fails closed
// (see describe-effective-architecture.ts).

/** For internal callers that have already authorised access to the application. */
export async function getEffectiveArchitectureForApplication({
  application,
  tx,
}: {
  application: { id: string; teamId: string };
  tx?: DbTransaction;
}): Promise<EffectiveArchitectureView> {
  const client = tx ?? db;
  const select = { id: true, number: true, status: true, title: true, acceptedAt: true, architecture: true } as const;
  const own = await client.architectureDecision.findFirst({
    where: { teamId: application.teamId, status: "accepted", applications: { some: { applicationId: application.id } } },
    orderBy: { acceptedAt: "desc" },
    select,
  });
  const teamWide = own
    ? null
    : await client.architectureDecision.findFirst({
        where: { teamId: application.teamId, status: "accepted", applications: { none: {} } },
        orderBy: { acceptedAt: "desc" },
        select,
      });
  const pending = await client.architectureDecision.findMany({
    where: {
      teamId: application.teamId,
      status: "proposed",
      OR: [{ applications: { some: { applicationId: application.id } } }, { applications: { none: {} } }],
    },
    orderBy: { number: "asc" },
    select: { id: true, number: true, status: true, architecture: true },
  });
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
