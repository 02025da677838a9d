import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { policyAbilities } from "./policy-permissions";
import { findVersionSummaries, getPolicyRecord, toPolicyView, toVersionSummary } from "./policy-records";

/** One policy with its version history (newest first) and what the actor may do with it. */
export async function getPolicy({ actor, id }: { actor: Actor; id: string }) {
  const policy = await getPolicyRecord({ actor, id });
  const [versions, abilities] = await Promise.all([findVersionSummaries({ policyId: id }), policyAbilities({ actor, policy })]);
  // A policy has at most one open draft, and it is in its history.
  const draft = versions.find((v) => v.state === "draft");
  return {
    ...toPolicyView(policy, draft ? { id: draft.id, number: draft.number, state: "draft" } : null),
    versions: versions.map(toVersionSummary),
    abilities,
  };
}
