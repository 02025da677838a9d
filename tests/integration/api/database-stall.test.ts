// The database stops answering without closing anything (a frozen server, a partition):
// requests must not hang without limit (issue 12: 20 s and more under SIGSTOP). A TCP
// proxy on loopback holds every byte; the portal's connect and query bounds (set short
// here) turn the stall into 503 problem+json, and it recovers when the database answers.
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
