// Next.js runs register() once when a portal process starts (next start, lib/cli/serve.ts,
// next dev). Maintenance that needs the portal's server-only modules ticks here, inside
// the Next.js server, rather than in lib/cli/serve.ts beside it.

export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Drift of what Rampart applied to Kubernetes targets. Every replica ticks; the sweep
  // takes turns through the database. 0 turns it off in this process.
  const raw = process.env.KUBERNETES_DRIFT_CHECK_SECONDS ?? "600";
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 0) {
    // Like every bad setting: stop with a message naming the variable, not serve without the check.
    process.stderr.write(`KUBERNETES_DRIFT_CHECK_SECONDS must be a whole number of seconds (0: off), not ${raw}\n`);
    process.exit(1);
  }
  if (seconds === 0) return;
  const { scheduleKubernetesDriftChecks } = await import("@/lib/kubernetes/delivery/schedule-kubernetes-drift-checks");
  scheduleKubernetesDriftChecks({ intervalMs: seconds * 1000 });
}
