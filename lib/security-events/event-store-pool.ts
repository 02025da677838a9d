import "server-only";
import pg from "pg";

// Ingestion writes through a plain `pg` pool of its own rather than Prisma: a batch is one
// parameterised statement over column arrays (unnest), and Prisma's raw-query path cost
// more CPU per batch than the statement itself (issue 15's profile). The pool is sized
// for the ingestion slots: at most `concurrency` statements write at once, plus as many
// that find every slot taken and answer 429.
const globalForPool = globalThis as unknown as { rampartEventPool?: { url: string; pool: pg.Pool } };

export function eventStorePool(concurrency: number): pg.Pool {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  // A test process that moves to another database gets a pool for it.
  if (globalForPool.rampartEventPool?.url !== url) {
    void globalForPool.rampartEventPool?.pool.end().catch(() => undefined);
    const timeout = Number(process.env.DATABASE_QUERY_TIMEOUT_MS ?? 15_000);
    const pool = new pg.Pool({
      connectionString: url,
      max: concurrency * 2,
      connectionTimeoutMillis: Number(process.env.DATABASE_CONNECT_TIMEOUT_MS ?? 5_000),
      idleTimeoutMillis: 30_000,
      query_timeout: timeout,
      statement_timeout: timeout,
      keepAlive: true,
      // Idle ingestion connections never keep a process (a CLI, a test worker) from exiting.
      allowExitOnIdle: true,
    });
    // An idle connection the server dropped must not crash the process.
    pool.on("error", () => undefined);
    globalForPool.rampartEventPool = { url, pool };
  }
  return globalForPool.rampartEventPool.pool;
}
