import "server-only";
import { db as defaultDb, type Db } from "@/lib/db/client";
import { runDriftCheck } from "./run-drift-check";

// Every portal replica ticks (lib/kubernetes/delivery/schedule-kubernetes-drift-checks.ts);
// one sweeps at a time. The lock is PostgreSQL's transaction-scoped advisory lock, held by
// a transaction that stays open for the sweep and is released on commit or crash, so a
// replica that dies mid-sweep never blocks the others. Each check is written on its own
// (not in the lock's transaction), so one slow cluster does not hold back the records
// of the others.
const SWEEP_LOCK = "rampart:kubernetes-drift-sweep";

export type DriftSweepResult = { swept: boolean; checked: { targetId: string; state: string }[] };

/**
 * Checks every live Kubernetes target that has something applied and was not checked
 * within `minAgeMs` (so replicas ticking one after another do not check twice). Returns
 * swept: false when another replica holds the sweep.
 */
export async function sweepKubernetesDrift({
  db = defaultDb,
  minAgeMs = 60_000,
  now = new Date(),
}: { db?: Db; minAgeMs?: number; now?: Date } = {}): Promise<DriftSweepResult> {
  return db.$transaction(
    async (tx) => {
      const [{ locked }] = await tx.$queryRaw<[{ locked: boolean }]>`SELECT pg_try_advisory_xact_lock(hashtextextended(${SWEEP_LOCK}, 0)) AS locked`;
      if (!locked) return { swept: false, checked: [] };
      const targets = await db.deliveryTarget.findMany({
        where: {
          kind: "kubernetes",
          revokedAt: null,
          kubernetesApplies: { some: {} },
          driftChecks: { none: { createdAt: { gt: new Date(now.getTime() - minAgeMs) } } },
        },
        select: { id: true },
        orderBy: { name: "asc" },
      });
      const checked: DriftSweepResult["checked"] = [];
      for (const target of targets) {
        try {
          const check = await runDriftCheck({ db, targetId: target.id, trigger: "scheduled", checkedById: null });
          checked.push({ targetId: target.id, state: check.state });
        } catch (error) {
          // One target's failure (its database rows changed under it) must not stop the sweep of the others.
          checked.push({ targetId: target.id, state: `failed: ${error instanceof Error ? error.message : String(error)}` });
        }
      }
      return { swept: true, checked };
    },
    // Clusters answer in seconds each; a sweep over many may take minutes.
    { maxWait: 10_000, timeout: 30 * 60_000 },
  );
}
