import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { getApplication } from "@/lib/applications/get-application";
import { db } from "@/lib/db/client";
import { riskAcceptanceInclude, toRiskAcceptanceView } from "./risk-acceptance-view";

/** An application's risk acceptances, newest first, active or not (they are its record). */
export async function findRiskAcceptances({ actor, applicationId }: { actor: Actor; applicationId: string }) {
  await getApplication({ actor, id: applicationId });
  const now = new Date();
  const acceptances = await db.riskAcceptance.findMany({
    where: { applicationId },
    include: riskAcceptanceInclude,
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  });
  return { items: acceptances.map((a) => toRiskAcceptanceView(a, now)) };
}
