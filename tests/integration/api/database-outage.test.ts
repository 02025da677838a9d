// The database goes away while the portal runs: requests get 503 problem+json quickly,
// /api/health says so, and everything works again once the database is back.
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { startPortalBehindTcpProxy, type PortalBehindTcpProxy } from "../../helpers/portal-behind-tcp-proxy";

let portal: PortalBehindTcpProxy;
let health: () => Promise<Response>;

beforeAll(async () => {
  // The bounds are set far beyond the test's timeout: a 503 in time can then only come from
  // the refused connection itself, never from waiting a bound out.
  portal = await startPortalBehindTcpProxy({ teamSlug: "outage", queryTimeoutMs: 600_000, connectTimeoutMs: 600_000 });
  const route = await import("@/app/api/health/route");
  health = () => route.GET();
});

afterAll(async () => {
  await portal?.close();
});

it("answers 503 while the database is unreachable and recovers when it returns", async () => {
  const { proxy, callApi, cookie } = portal;
  expect((await callApi({ method: "GET", path: "/api/v1/applications", cookie })).status).toBe(200);
  expect((await health()).status).toBe(200);

  proxy.cut();
  const down = await callApi({ method: "GET", path: "/api/v1/applications", cookie });
  expect(down.status).toBe(503);
  expect(down.headers.get("content-type")).toBe("application/problem+json");
  expect((await down.json()).code).toBe("DATABASE_UNAVAILABLE");
  const h = await health();
  expect(h.status).toBe(503);
  // Up or down, nothing of the database's own error text (host, port, user).
  expect(await h.json()).toEqual({ status: "degraded", database: { ok: false } });

  proxy.restore();
  // Recovery has no event of its own: the next request that succeeds is it.
  await vi.waitFor(async () => expect((await callApi({ method: "GET", path: "/api/v1/applications", cookie })).status).toBe(200), {
    timeout: 30_000,
    interval: 100,
  });
  expect((await health()).status).toBe(200);
}, 60_000);
