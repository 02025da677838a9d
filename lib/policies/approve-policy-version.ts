import "server-only";
import type { RequestContext } from "@/lib/auth/actor";
import { transitionPolicyVersion } from "./transition-policy-version";

/** Approves a submitted version (security officers), with a comment; four eyes and the baseline in force are checked in transition-policy-version.ts. */
export function approvePolicyVersion(input: { ctx: RequestContext; policyId: string; versionId: string; expectedVersion: number; note: string }) {
  return transitionPolicyVersion({ ...input, transition: "approve" });
}
