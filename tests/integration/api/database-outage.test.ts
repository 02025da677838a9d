// The database goes away while the portal runs: requests get 503 problem+json quickly,
// /api/health says so, and everything works again once the database is back.
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { startTcpProxy } from "../../helpers/tcp-proxy";

let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
let callApi: typeof import("../../helpers/call-api").callApi;
let health: () => Promise<Response>;
let cookie: string;

beforeAll(async () => {
  const real = new URL(process.env.DATABASE_URL!);
  proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
  const proxied = new URL(real);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(proxy.port);
  // Point the portal's client at the proxy before anything imports it. Its bounds are set
  // far beyond the test's timeout: a 503 in time can then only come from the refused
  // connection itself, never from waiting a bound out.
  process.env.DATABASE_URL = proxied.toString();
  process.env.DATABASE_QUERY_TIMEOUT_MS = "600000";
  process.env.DATABASE_CONNECT_TIMEOUT_MS = "600000";
  ({ callApi } = await import("../../helpers/call-api"));
  const { db } = await import("@/lib/db/client");
  const { createTeam, createUser } = await import("@/prisma/factories");
  const { sessionCookieFor } = await import("../../helpers/sign-in-as");
  const team = await createTeam(db, { slug: "outage" });
  const user = await createUser(db, { memberships: [{ teamId: team.id, role: "auditor" }] });
  cookie = await sessionCookieFor(user.id);
  const route = await import("@/app/api/health/route");
  health = () => route.GET();
});

afterAll(async () => {
  delete process.env.DATABASE_QUERY_TIMEOUT_MS;
  delete process.env.DATABASE_CONNECT_TIMEOUT_MS;
  await proxy?.close();
});

it("answers 503 while the database is unreachable and recovers when it returns", async () => {
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
