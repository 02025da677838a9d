import "server-only";
import type { RequestContext } from "@/lib/auth/actor";
import { transitionPolicyVersion } from "./transition-policy-version";

/** Submits a draft for review: its content is frozen from now on. */
export function submitPolicyVersion(input: { ctx: RequestContext; policyId: string; versionId: string; expectedVersion: number }) {
  return transitionPolicyVersion({ ...input, transition: "submit" });
}
