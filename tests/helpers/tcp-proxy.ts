import net from "node:net";

/**
 * A TCP proxy on 127.0.0.1 that can be cut and restored, to take the database away
 * from the code under test without stopping the shared PostgreSQL server.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  const stalled = new Set<net.Socket>();
  let up = true;
  let stalling = false;
  const server = net.createServer((client) => {
    if (!up) return client.destroy();
    // A stalled server accepts the connection and never answers (like a SIGSTOPped one).
    if (stalling) {
      stalled.add(client);
      client.on("error", () => client.destroy());
      return;
    }
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    /** Drops every open connection and refuses new ones. */
    cut() {
      up = false;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    restore() {
      up = true;
    },
    /** Keeps every connection open but passes no byte either way, and accepts new ones that never answer. */
    stall() {
      stalling = true;
      for (const s of sockets) s.pause();
    },
    /** Ends a stall: connections held meanwhile are dropped, the rest flow again. */
    unstall() {
      stalling = false;
      for (const s of stalled) s.destroy();
      stalled.clear();
      for (const s of sockets) s.resume();
    },
    async close() {
      this.unstall();
      this.cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
