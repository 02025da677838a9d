import type { RolloutState } from "@/lib/delivery/delivery-schemas";
import styles from "./delivery.module.css";

const LABELS: Record<RolloutState, { label: string; className: string }> = {
  "in-sync": { label: "In sync", className: "badge-success" },
  "rolling-out": { label: "Rolling out", className: styles.stateInfo! },
  stale: { label: "Stale", className: styles.stateWarning! },
  failing: { label: "Failing", className: "badge-danger" },
  "never-connected": { label: "Never connected", className: "badge-neutral" },
  revoked: { label: "Revoked", className: "badge-neutral" },
  "not-reported": { label: "Not reported yet", className: "badge-neutral" },
};

/** A rollout state as a badge; the word carries the meaning, the colour only repeats it. */
export function RolloutStateBadge({ state }: { state: RolloutState }) {
  const { label, className } = LABELS[state];
  return <span className={`badge ${className}`}>{label}</span>;
}
