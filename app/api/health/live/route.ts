// GET /api/health/live — liveness: the portal process answers HTTP (no database check,
// so a database outage takes replicas out of rotation through readiness without
// restarting them)
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
