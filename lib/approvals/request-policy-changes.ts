import "server-only";
import type { RequestContext } from "@/lib/auth/actor";
import { transitionPolicyVersion } from "@/lib/policies/transition-policy-version";

/**
 * Sends a submitted version back to its author as a draft, with the reviewer's comment
 * (kept in reviewNote): the "request-changes" transition of POLICY_TRANSITIONS, so its
 * rules (a comment, no other open draft), If-Match, audit and notice are the other
 * decisions' own.
 */
export function requestPolicyChanges(input: { ctx: RequestContext; policyId: string; versionId: string; expectedVersion: number; note: string }) {
  return transitionPolicyVersion({ ...input, transition: "request-changes" });
}
