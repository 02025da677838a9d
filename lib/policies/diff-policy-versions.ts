import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { diffPolicies } from "@/lib/policy-spec";
import { findBaselineInForce } from "./find-published-baselines";
import { invalidPolicy } from "./parse-policy-content";
import { getPolicyRecord, getVersionRecord } from "./policy-records";
import { storedDocumentOf } from "./stored-policy-document-of";

/**
 * The semantic difference between two versions of a policy: each change as a sentence a
 * reviewer reads ("lowers xss from strict to standard") and as structured data, flagged
 * where it loosens or tightens protection. Without `fromId`, `to` is compared with the
 * version it was derived from.
 */
export async function diffPolicyVersions({ actor, policyId, toId, fromId }: { actor: Actor; policyId: string; toId: string; fromId?: string }) {
  const policy = await getPolicyRecord({ actor, id: policyId });
  const to = await getVersionRecord({ policyId, versionId: toId });
  const earlierId = fromId ?? to.parentId;
  if (!earlierId) throw invalidPolicy([{ path: "query.from", message: `is required: version ${to.number} was not derived from an earlier version` }]);
  const from = await getVersionRecord({ policyId, versionId: earlierId });
  const baseline = policy.kind === "application" ? await findBaselineInForce({}) : null;
  const { changes } = diffPolicies(storedDocumentOf(policy.kind, from), storedDocumentOf(policy.kind, to), {
    relaxable: baseline?.document.contentProfiles.allowRelax,
  });
  const ref = (v: typeof to) => ({ id: v.id, number: v.number, state: v.state, contentHash: v.contentHash });
  return {
    policyId,
    from: ref(from),
    to: ref(to),
    changes,
    summary: {
      changes: changes.length,
      loosens: changes.filter((c) => c.risk === "loosens").length,
      tightens: changes.filter((c) => c.risk === "tightens").length,
    },
  };
}
