import "server-only";
import type { RequestContext } from "@/lib/auth/actor";
import { transitionPolicyVersion } from "./transition-policy-version";

/** Submits a draft for review with a summary of why: its content is frozen from now on, and its risk flags are computed against the version in force. */
export function submitPolicyVersion(input: { ctx: RequestContext; policyId: string; versionId: string; expectedVersion: number; summary: string }) {
  return transitionPolicyVersion({ ...input, transition: "submit" });
}
