import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

// One client per process. Next.js dev re-evaluates modules on every change, so the
// instance is parked on globalThis to avoid opening a new pool each time.
const globalForDb = globalThis as unknown as { rampartDb?: PrismaClient };

export function createDbClient(databaseUrl: string): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    connectionTimeoutMillis: 5_000,
  });
  return new PrismaClient({ adapter });
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
