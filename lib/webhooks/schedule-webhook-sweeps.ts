// No "server-only" marker: lib/cli/serve.ts runs this beside Next.js, not inside it.
import { scheduleSweep } from "@/lib/server/schedule-sweep";
import { sweepWebhookDeliveries } from "./sweep-webhook-deliveries";

/** The team webhook sweep, every `intervalMs` in this portal process (see scheduleSweep). */
export function scheduleWebhookSweeps({ intervalMs, log }: { intervalMs: number; log?: (line: string) => void }): () => void {
  return scheduleSweep({
    name: "webhooks",
    intervalMs,
    log,
    sweep: async () => {
      const { delivered, failed } = await sweepWebhookDeliveries();
      if (delivered.length === 0 && failed.length === 0) return null;
      const failures = failed.map((f) => `${f.id}: ${f.error}${f.retryAt ? "" : " (given up)"}`).join("; ");
      return `${delivered.length} delivered, ${failed.length} failed${failures ? ` — ${failures}` : ""}`;
    },
  });
}
