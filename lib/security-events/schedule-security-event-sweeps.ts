// No "server-only" marker: lib/cli/serve.ts runs this beside Next.js, not inside it.
import { scheduleSweep } from "@/lib/server/schedule-sweep";
import { sweepSecurityEvents } from "./sweep-security-events";

/** Retention and partitions ahead for security events, every `intervalMs` (see scheduleSweep). */
export function scheduleSecurityEventSweeps({
  intervalMs,
  retentionDays,
  log,
}: {
  intervalMs: number;
  retentionDays: number;
  log?: (line: string) => void;
}): () => void {
  return scheduleSweep({
    name: "security-events",
    intervalMs,
    log,
    sweep: async () => {
      const { swept, dropped, created } = await sweepSecurityEvents({ retentionDays });
      return swept && (dropped.length > 0 || created.length > 0)
        ? `security events: dropped ${dropped.length} day(s), created ${created.length} partition(s)`
        : null;
    },
  });
}
