import "server-only";
import type { RequestContext } from "@/lib/auth/actor";
import { transitionPolicyVersion } from "./transition-policy-version";

/** Rejects a submitted version with a reason (required, checked with the other rules); it stays as a record, and its content can be restored into a new draft. */
export function rejectPolicyVersion(input: { ctx: RequestContext; policyId: string; versionId: string; expectedVersion: number; note: string }) {
  return transitionPolicyVersion({ ...input, transition: "reject" });
}
