import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { policyAbilities } from "./policy-permissions";
import { draftsOf, getPolicyRecord, toPolicyView, toVersionSummary, versionSummarySelect } from "./policy-records";

/** One policy with its version history (newest first) and what the actor may do with it. */
export async function getPolicy({ actor, id }: { actor: Actor; id: string }) {
  const policy = await getPolicyRecord({ actor, id });
  const [versions, drafts, abilities] = await Promise.all([
    db.policyVersion.findMany({ where: { policyId: id }, select: versionSummarySelect, orderBy: { number: "desc" } }),
    draftsOf([id]),
    policyAbilities({ actor, policy }),
  ]);
  return { ...toPolicyView(policy, drafts.get(id) ?? null), versions: versions.map(toVersionSummary), abilities };
}
