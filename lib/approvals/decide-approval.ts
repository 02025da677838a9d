import "server-only";
import type { RequestContext } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { approvePolicyVersion } from "@/lib/policies/approve-policy-version";
import { rejectPolicyVersion } from "@/lib/policies/reject-policy-version";
import { requestPolicyChanges } from "./request-policy-changes";

export const APPROVAL_DECISIONS = ["approve", "reject", "request-changes"] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

/**
 * A reviewer's decision on a queue entry, known by its version alone. The policy's own
 * transition does every check (scope, four eyes, comment, If-Match), so deciding from the
 * queue and from the policy page are the same act.
 */
export async function decideApproval({
  ctx,
  versionId,
  expectedVersion,
  decision,
  note,
}: {
  ctx: RequestContext;
  versionId: string;
  expectedVersion: number;
  decision: ApprovalDecision;
  note: string;
}) {
  const found = await db.policyVersion.findUnique({ where: { id: versionId }, select: { policyId: true } });
  // Another team's version is then "not found" too: the transition reads the policy in the caller's scope.
  if (!found) throw new AppError("NOT_FOUND", "No such policy version.");
  const input = { ctx, policyId: found.policyId, versionId, expectedVersion, note };
  if (decision === "approve") return approvePolicyVersion(input);
  if (decision === "reject") return rejectPolicyVersion(input);
  return requestPolicyChanges(input);
}
