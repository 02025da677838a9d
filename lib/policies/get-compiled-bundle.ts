import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { compilePolicy, serializeBundle } from "@/lib/policy-spec";
import { requireFineGrainedRequirementMet } from "./evaluate-fine-grained-requirement";
import type { EffectivePolicyQuery } from "./policy-schemas";
import { getEffectivePolicy } from "./get-effective-policy";

/**
 * The compiled bundle of an application: what its proxy enforces, as the exact canonical
 * bytes to ship (same policies in, byte-identical bundle and hash out). An internet-facing
 * application without fine-grained policy gets none unless its risk is accepted.
 */
export async function getCompiledBundle({ actor, applicationId, query }: { actor: Actor; applicationId: string; query: EffectivePolicyQuery }) {
  const resolved = await getEffectivePolicy({ actor, applicationId, query });
  requireFineGrainedRequirementMet(resolved.requirement, applicationId);
  const bundle = compilePolicy(resolved.effective);
  return { bundle, bytes: serializeBundle(bundle), preview: resolved.preview, application: resolved.application };
}
