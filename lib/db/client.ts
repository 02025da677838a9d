import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

// One client per process. Next.js dev re-evaluates modules on every change, so the
// instance is parked on globalThis to avoid opening a new pool each time.
const globalForDb = globalThis as unknown as { rampartDb?: PrismaClient };

/** The driver adapter, whose pg pool (created on connect from this configuration) holds the bounds below. */
export function createDbAdapter(databaseUrl: string): PrismaPg {
  // A stalled database (network partition, a frozen server) must not hold requests without
  // limit: connecting, each query and each statement are bounded, and a request that hits
  // a bound answers 503 (lib/db/is-database-unavailable.ts). Idle connections are closed
  // so a pool does not keep sockets a stall has silently killed.
  const queryTimeout = Number(process.env.DATABASE_QUERY_TIMEOUT_MS ?? 15_000);
  return new PrismaPg({
    connectionString: databaseUrl,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    connectionTimeoutMillis: Number(process.env.DATABASE_CONNECT_TIMEOUT_MS ?? 5_000),
    idleTimeoutMillis: 30_000,
    // Client side: gives up on a query whose answer does not come (the server may be frozen).
    query_timeout: queryTimeout,
    // Server side: PostgreSQL cancels a statement that runs longer, freeing its connection.
    statement_timeout: queryTimeout,
    idle_in_transaction_session_timeout: 2 * queryTimeout,
    keepAlive: true,
  });
}

export function createDbClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: createDbAdapter(databaseUrl) });
}

function databaseUrlFromEnv(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (npm start sets it for the embedded database)");
  return url;
}

function client(): PrismaClient {
  globalForDb.rampartDb ??= createDbClient(databaseUrlFromEnv());
  return globalForDb.rampartDb;
}

// Created on first use, not on import: `next build` imports server modules without a
// database, and tests set DATABASE_URL before their first query.
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const real = client();
    const value = Reflect.get(real, property, real);
    return typeof value === "function" ? value.bind(real) : value;
  },
});

export type Db = PrismaClient;
export type DbTransaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
