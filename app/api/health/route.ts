// GET /api/health — liveness plus database reachability (503 when the database is down)
import { checkDatabase } from "@/lib/db/check-database";

export const dynamic = "force-dynamic";

// Anyone may ask, so the answer is up or down only: the database's error text (host
// names, user names, versions) goes to the log, not to the caller.
export async function GET() {
  const database = await checkDatabase();
  if (!database.ok) console.error(`[health] database unreachable: ${database.error}`);
  return Response.json(
    { status: database.ok ? "ok" : "degraded", database: { ok: database.ok } },
    { status: database.ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
