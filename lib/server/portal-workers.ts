// One portal process per CPU (node:cluster): the primary forks the workers and supervises
// them; every worker serves the whole portal on the same port (the primary hands
// connections out in turn). Workers share nothing in memory that matters: sessions,
// rate limits, sweeps' turns and delivery wake-ups all live in PostgreSQL, so N workers
// behave as N replicas. The primary runs no portal code and opens no database pool.
import cluster, { type Worker } from "node:cluster";
import os from "node:os";

/**
 * How many workers: RAMPART_WORKERS (or --workers), a whole number ≥ 1, or "auto" / unset
 * for one per CPU. Throws with the variable's name on anything else.
 */
export function portalWorkerCount(value: string | undefined, cpus = os.availableParallelism()): number {
  if (value === undefined || value === "" || value === "auto") return Math.max(1, cpus);
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 256) throw new Error(`RAMPART_WORKERS must be "auto" or a whole number from 1 to 256, not ${value}`);
  return count;
}

/**
 * The database pool of each worker when DATABASE_POOL_SIZE is not set: half of what the
 * server accepts (max_connections less the superuser's reserve; the other half is left to
 * other replicas, migrations and people), shared by the workers, less each worker's one
 * listening connection (lib/delivery/delivery-listener.ts); between 2 and 10.
 */
export function poolSizePerWorker({ maxConnections, reserved, workers }: { maxConnections: number; reserved: number; workers: number }): number {
  const budget = Math.floor((maxConnections - reserved) / 2);
  return Math.min(10, Math.max(2, Math.floor(budget / workers) - 1));
}

export type SuperviseOptions = {
  count: number;
  /** Extra environment of the worker at `index` (0-based; a replacement keeps its index). */
  workerEnv?: (index: number) => Record<string, string>;
  log?: (line: string) => void;
  /** Called once every worker listens. */
  onReady?: (pids: number[]) => void;
};

const RESTARTS_PER_MINUTE = 5;
const STOP_GRACE_MS = 10_000;

/**
 * In the primary: forks `count` workers, replaces one that dies (unless they keep dying),
 * and on SIGINT / SIGTERM stops them all and exits 0 once they have. A worker signals that
 * it listens with process.send({ ready: true }). A worker that dies before every worker
 * is ready stops the lot with exit code 1: a portal that cannot start must say so.
 */
export function superviseWorkers({ count, workerEnv = () => ({}), log = (line) => process.stdout.write(`${line}\n`), onReady }: SuperviseOptions): void {
  const indexOf = new Map<Worker, number>();
  const ready = new Set<number>();
  const restarts: number[] = [];
  let started = false;
  let stopping = false;

  const fork = (index: number) => {
    const worker = cluster.fork({ ...workerEnv(index), RAMPART_WORKER_INDEX: String(index) });
    indexOf.set(worker, index);
    worker.on("message", (message: { ready?: boolean }) => {
      if (!message?.ready) return;
      ready.add(index);
      if (!started && ready.size === count) {
        started = true;
        onReady?.(Object.values(cluster.workers ?? {}).flatMap((w) => (w?.process.pid ? [w.process.pid] : [])));
      }
    });
  };

  const stop = (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
    if (alive.length === 0) process.exit(exitCode);
    for (const worker of alive) worker.process.kill("SIGTERM");
    setTimeout(() => {
      for (const worker of alive) if (!worker.isDead()) worker.process.kill("SIGKILL");
      process.exit(exitCode);
    }, STOP_GRACE_MS).unref();
    cluster.on("exit", () => {
      if (Object.values(cluster.workers ?? {}).every((w) => !w || w.isDead())) process.exit(exitCode);
    });
  };

  cluster.on("exit", (worker, code, signal) => {
    const index = indexOf.get(worker) ?? 0;
    indexOf.delete(worker);
    ready.delete(index);
    if (stopping) return;
    const how = signal ?? `exit ${code}`;
    if (!started) {
      log(`portal worker ${index + 1} stopped during start-up (${how}): stopping`);
      return stop(1);
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && restarts[0]! < now - 60_000) restarts.shift();
    if (restarts.length > RESTARTS_PER_MINUTE) {
      log(`portal workers died ${restarts.length} times within a minute (last: ${how}): stopping`);
      return stop(1);
    }
    log(`portal worker ${index + 1} stopped (${how}): starting another`);
    fork(index);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stop(0));
  for (let index = 0; index < count; index++) fork(index);
}
