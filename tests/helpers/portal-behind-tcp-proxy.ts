// The portal's database reached through a TCP proxy on loopback, so a test can cut or stall
// the connection while the portal runs. Must run before anything imports the portal's client:
// the client reads DATABASE_URL and its bounds once.
import { startTcpProxy } from "./tcp-proxy";

export type PortalBehindTcpProxy = {
  proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  callApi: typeof import("./call-api").callApi;
  /** A session cookie of an auditor in a team of its own. */
  cookie: string;
  close(): Promise<void>;
};

export async function startPortalBehindTcpProxy(options: {
  teamSlug: string;
  queryTimeoutMs: number;
  connectTimeoutMs: number;
}): Promise<PortalBehindTcpProxy> {
  const real = new URL(process.env.DATABASE_URL!);
  const proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
  const proxied = new URL(real);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(proxy.port);
  process.env.DATABASE_URL = proxied.toString();
  process.env.DATABASE_QUERY_TIMEOUT_MS = String(options.queryTimeoutMs);
  process.env.DATABASE_CONNECT_TIMEOUT_MS = String(options.connectTimeoutMs);
  const { callApi } = await import("./call-api");
  const { db } = await import("@/lib/db/client");
  const { createTeam, createUser } = await import("@/prisma/factories");
  const { sessionCookieFor } = await import("./sign-in-as");
  const team = await createTeam(db, { slug: options.teamSlug });
  const user = await createUser(db, { memberships: [{ teamId: team.id, role: "auditor" }] });
  const cookie = await sessionCookieFor(user.id);
  return {
    proxy,
    callApi,
    cookie,
    async close() {
      delete process.env.DATABASE_QUERY_TIMEOUT_MS;
      delete process.env.DATABASE_CONNECT_TIMEOUT_MS;
      await proxy.close();
    },
  };
}
