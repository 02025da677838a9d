import "server-only";
import type { RequestContext } from "@/lib/auth/actor";
import { rejectInput } from "./policy-schemas";
import { transitionPolicyVersion } from "./transition-policy-version";

/** Rejects a submitted version with a reason; it stays as a record, and its content can be restored into a new draft. */
export function rejectPolicyVersion(input: { ctx: RequestContext; policyId: string; versionId: string; expectedVersion: number; note: string }) {
  const { note } = rejectInput.parse({ note: input.note });
  return transitionPolicyVersion({ ...input, note, transition: "reject" });
}
