// No "server-only" marker: the portal's maintenance tick (lib/cli/serve.ts) runs this
// outside the Next.js bundle, like the other sweeps.
import { db as defaultDb, type Db } from "@/lib/db/client";
import { maintainEventPartitions } from "./event-partitions";

// Every replica ticks; one sweeps at a time (a transaction-scoped advisory lock, released on
// commit or crash). Dropping a day's partition and creating the next days' are idempotent,
// so a sweep that fails half-way is simply done again at the next tick.
const SWEEP_LOCK = "rampart:security-events-sweep";

export async function sweepSecurityEvents({ db = defaultDb, now = new Date(), retentionDays }: { db?: Db; now?: Date; retentionDays: number }) {
  return db.$transaction(
    async (tx) => {
      const [{ locked }] = await tx.$queryRaw<[{ locked: boolean }]>`SELECT pg_try_advisory_xact_lock(hashtextextended(${SWEEP_LOCK}, 0)) AS locked`;
      if (!locked) return { swept: false, dropped: [] as string[], created: [] as string[] };
      return { swept: true, ...(await maintainEventPartitions(tx, now, retentionDays)) };
    },
    { maxWait: 10_000, timeout: 120_000 },
  );
}
