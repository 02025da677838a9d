// The database stops answering without closing anything (a frozen server, a partition):
// requests must not hang without limit (issue 12: 20 s and more under SIGSTOP). A TCP
// proxy on loopback holds every byte; the portal's connect and query bounds (set short
// here) turn the stall into 503 problem+json, and it recovers when the database answers.
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { startTcpProxy } from "../../helpers/tcp-proxy";

const QUERY_TIMEOUT_MS = 1_500;
const CONNECT_TIMEOUT_MS = 1_500;
let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
let callApi: typeof import("../../helpers/call-api").callApi;
let cookie: string;

beforeAll(async () => {
  const real = new URL(process.env.DATABASE_URL!);
  proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
  const proxied = new URL(real);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(proxy.port);
  process.env.DATABASE_URL = proxied.toString();
  process.env.DATABASE_QUERY_TIMEOUT_MS = String(QUERY_TIMEOUT_MS);
  process.env.DATABASE_CONNECT_TIMEOUT_MS = String(CONNECT_TIMEOUT_MS);
  ({ callApi } = await import("../../helpers/call-api"));
  const { db } = await import("@/lib/db/client");
  const { createTeam, createUser } = await import("@/prisma/factories");
  const { sessionCookieFor } = await import("../../helpers/sign-in-as");
  const team = await createTeam(db, { slug: "stall" });
  const user = await createUser(db, { memberships: [{ teamId: team.id, role: "auditor" }] });
  cookie = await sessionCookieFor(user.id);
});

afterAll(async () => {
  delete process.env.DATABASE_QUERY_TIMEOUT_MS;
  delete process.env.DATABASE_CONNECT_TIMEOUT_MS;
  await proxy?.close();
});

it("answers 503 problem+json within the bounds while the database is stalled, and recovers", async () => {
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
