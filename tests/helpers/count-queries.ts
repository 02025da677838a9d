// Records the SQL statements sent to PostgreSQL while a callback runs: every query of this
// process goes through pg's Client (Prisma's driver adapter, raw SQL, transactions), so
// wrapping its query method sees them all. For tests that pin how many round trips a read
// takes, so an N+1 or a per-relation query cannot creep back in unnoticed.
import pg from "pg";

export async function recordQueries<T>(run: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
  const queries: string[] = [];
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === "string" ? first : (first as { text?: string } | null)?.text;
    if (text) queries.push(text);
    return original.apply(this, args);
  };
  try {
    return { result: await run(), queries };
  } finally {
    prototype.query = original;
  }
}
