// GET /api/health — liveness plus database reachability (503 when the database is down)
import { checkDatabase } from "@/lib/db/check-database";

export const dynamic = "force-dynamic";

export async function GET() {
  const database = await checkDatabase();
  return Response.json(
    { status: database.ok ? "ok" : "degraded", database },
    { status: database.ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
