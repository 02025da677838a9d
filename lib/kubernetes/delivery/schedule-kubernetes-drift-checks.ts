import "server-only";
import { scheduleSweep } from "@/lib/server/schedule-sweep";
import { sweepKubernetesDrift } from "./sweep-kubernetes-drift";

/** The Kubernetes drift sweep, every `intervalMs` in this portal process (see scheduleSweep). */
export function scheduleKubernetesDriftChecks({ intervalMs, log }: { intervalMs: number; log?: (line: string) => void }): () => void {
  return scheduleSweep({
    name: "kubernetes",
    intervalMs,
    log,
    sweep: async () => {
      const { swept, checked } = await sweepKubernetesDrift({ minAgeMs: Math.floor(intervalMs / 2) });
      const drifted = checked.filter((c) => c.state !== "in-sync");
      return swept && drifted.length > 0 ? `drift sweep: ${drifted.length} of ${checked.length} target(s) drifted or could not be checked` : null;
    },
  });
}
