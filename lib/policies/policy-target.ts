import { AppError } from "@/lib/errors/app-error";
import type { PolicyTarget } from "./validate-policy-content";

type PolicyLike = {
  kind: "baseline" | "application";
  environment: string | null;
  application: { id: string; slug: string; archivedAt: Date | null } | null;
};

/** What a stored policy applies to, for validating its documents. */
export function policyTargetOf(policy: PolicyLike): PolicyTarget {
  if (policy.kind === "baseline" || !policy.application) return { kind: "baseline", environment: policy.environment };
  return { kind: "application", application: { id: policy.application.id, slug: policy.application.slug } };
}

/** An archived application keeps its policy history, read-only. */
export function assertPolicyEditable(policy: PolicyLike) {
  if (policy.application?.archivedAt) {
    throw new AppError("CONFLICT", "The application is archived; its policy is kept for the record and can no longer change.");
  }
}

/** The unique scope of a policy: one baseline per environment scope, one policy per application. */
export function policyScopeKey(target: PolicyTarget): string {
  if (target.kind === "application") return `application:${target.application.id}`;
  return target.environment ? `baseline:${target.environment}` : "baseline";
}
