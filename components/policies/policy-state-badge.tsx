import { POLICY_VERSION_STATE_LABELS, type PolicyVersionState } from "@/lib/policies/policy-schemas";
import styles from "./policies.module.css";

const CLASSES: Record<PolicyVersionState, string> = {
  draft: styles.stateDraft!,
  submitted: styles.stateSubmitted!,
  approved: styles.stateApproved!,
  rejected: "badge-danger",
  published: "badge-success",
  superseded: "badge-neutral",
};

export function PolicyStateBadge({ state }: { state: PolicyVersionState }) {
  return <span className={`badge ${CLASSES[state]} ${styles.stateBadge}`}>{POLICY_VERSION_STATE_LABELS[state]}</span>;
}
