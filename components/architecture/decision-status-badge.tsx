import type { DecisionStatus } from "@/lib/architecture/architecture-schemas";

const LABELS: Record<DecisionStatus, { label: string; className: string }> = {
  proposed: { label: "Proposed", className: "badge badge-neutral" },
  accepted: { label: "Accepted", className: "badge badge-success" },
  superseded: { label: "Superseded", className: "badge badge-neutral" },
};

export function DecisionStatusBadge({ status }: { status: DecisionStatus }) {
  const { label, className } = LABELS[status];
  return (
    <span className={className} data-status={status}>
      {label}
    </span>
  );
}
