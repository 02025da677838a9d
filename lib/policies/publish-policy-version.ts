import "server-only";
import type { RequestContext } from "@/lib/auth/actor";
import { transitionPolicyVersion } from "./transition-policy-version";

/** Publishes an approved version: it becomes the one in force, superseding the version published before. */
export function publishPolicyVersion(input: { ctx: RequestContext; policyId: string; versionId: string; expectedVersion: number }) {
  return transitionPolicyVersion({ ...input, transition: "publish" });
}
