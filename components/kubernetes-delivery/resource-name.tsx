import type { ResourceRefView } from "@/lib/kubernetes/delivery/kubernetes-delivery-schemas";
import styles from "./kubernetes-delivery.module.css";

/** A resource the way kubectl names it: Kind namespace/name. */
export function ResourceName({ resource }: { resource: ResourceRefView }) {
  return (
    <span className="mono">
      {resource.kind} {resource.namespace ? `${resource.namespace}/` : ""}
      {resource.name}
    </span>
  );
}

/** A unified diff, folded away until asked for. */
export function DiffText({ text, summary }: { text: string; summary: string }) {
  if (!text) return <span className="muted">—</span>;
  return (
    <details>
      <summary>{summary}</summary>
      <pre className={`mono ${styles.diff}`}>{text}</pre>
    </details>
  );
}

const GOOD = new Set(["created", "configured", "unchanged", "in-sync", "applied"]);
const BAD = new Set(["failed", "skipped", "drifted", "missing", "error", "partial"]);

/** A state word with its colour; the word itself carries the meaning. */
export function StateLabel({ state }: { state: string }) {
  const tone = GOOD.has(state) ? styles.good : BAD.has(state) ? styles.bad : styles.neutral;
  return <span className={`${styles.state} ${tone}`}>{state}</span>;
}
