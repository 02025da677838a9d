// The database stops answering without closing anything (a frozen server, a partition):
// requests must not hang without limit (issue 12: 20 s and more under SIGSTOP). A TCP
// proxy on loopback holds every byte; the portal's connect and query bounds (set short
// here) turn the stall into 503 problem+json, and it recovers when the database answers.
import pg from "pg";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { startPortalBehindTcpProxy, type PortalBehindTcpProxy } from "../../helpers/portal-behind-tcp-proxy";

let portal: PortalBehindTcpProxy;

beforeAll(async () => {
  portal = await startPortalBehindTcpProxy({ teamSlug: "stall", queryTimeoutMs: 1_500, connectTimeoutMs: 1_500 });
});

afterAll(async () => {
  await portal?.close();
});

it("answers 503 problem+json within the bounds while the database is stalled, and recovers", async () => {
  const { proxy, callApi, cookie } = portal;
  expect((await callApi({ method: "GET", path: "/api/v1/applications", cookie })).status).toBe(200);

  proxy.stall();
  // Several at once: pooled connections time out their queries, new ones their connect.
  // The stall never ends by itself: only the bounds can answer these (the test's timeout
  // names a request that hangs), so the 503s are the proof, not how long they took.
  const answers = await Promise.all(Array.from({ length: 4 }, () => callApi({ method: "GET", path: "/api/v1/applications", cookie })));
  for (const down of answers) {
    expect(down.status).toBe(503);
    expect(down.headers.get("content-type")).toBe("application/problem+json");
    expect((await down.json()).code).toBe("DATABASE_UNAVAILABLE");
  }

  proxy.unstall();
  // Recovery has no event of its own: the next request that succeeds is it.
  await vi.waitFor(async () => expect((await callApi({ method: "GET", path: "/api/v1/applications", cookie })).status).toBe(200), {
    timeout: 30_000,
    interval: 100,
  });
}, 60_000);

it("builds its pool with the bounds: PostgreSQL holds the statement timeouts, and an idle connection is closed once its idle time is up", async () => {
  const { createDbAdapter } = await import("@/lib/db/client");
  // The timers of the pool (and of its queries) stand still until the test moves them.
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  const adapter = await createDbAdapter(process.env.DATABASE_URL!).connect();
  const observer = new pg.Client({ connectionString: process.env.DATABASE_URL });
  try {
    const pool = adapter.underlyingDriver() as pg.Pool;
    const { rows } = await pool.query<{ pid: number; statement: string; idle: string }>(
      "SELECT pg_backend_pid() AS pid, current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle",
    );
    // The bounds reached the server (this file sets the query bound to 1.5 s).
    expect(rows[0]).toMatchObject({ statement: "1500ms", idle: "3s" });
    expect(pool.options.connectionTimeoutMillis).toBe(1_500);
    const idleTimeout = pool.options.idleTimeoutMillis!;
    expect(idleTimeout).toBeGreaterThan(0);

    // Idle, just short of its bound: kept. At the bound: closed, and PostgreSQL sees the session end.
    expect(pool.idleCount).toBe(1);
    vi.advanceTimersByTime(idleTimeout - 1);
    expect(pool.totalCount).toBe(1);
    vi.advanceTimersByTime(1);
    expect(pool.totalCount).toBe(0);
    vi.useRealTimers();
    await observer.connect();
    await vi.waitFor(async () => expect((await observer.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [rows[0]!.pid])).rowCount).toBe(0), {
      timeout: 15_000,
      interval: 50,
    });
  } finally {
    vi.useRealTimers();
    await observer.end();
    await adapter.dispose();
  }
});
