// The portal side of `npm run bench:events`, in a process of its own so that its CPU time is
// the portal's alone (the simulated proxies run in the bench process): the route handlers of
// ingestion, the events list and the summary behind a plain node:http server — what Next.js
// does for them, minus its router. Prints "listening <port>"; GET /bench/cpu answers this
// process's CPU time so far (µs) and the PostgreSQL backends' pids of its database.
import http from "node:http";

type Handler = (request: Request) => Promise<Response>;
const ingestRoute = await import("../../app/api/v1/delivery/events/route");
const listRoute = await import("../../app/api/v1/security-events/route");
const summaryRoute = await import("../../app/api/v1/security-events/summary/route");
const ROUTES: Record<string, Handler> = {
  "POST /api/v1/delivery/events": ingestRoute.POST as Handler,
  "GET /api/v1/security-events": listRoute.GET as Handler,
  "GET /api/v1/security-events/summary": summaryRoute.GET as Handler,
};

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  if (url.pathname === "/bench/cpu") {
    const { user, system } = process.cpuUsage();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ cpuMicros: user + system }));
    return;
  }
  const handler = ROUTES[`${req.method} ${url.pathname}`];
  if (!handler) {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    handler(new Request(`http://127.0.0.1:3000${req.url}`, { method: req.method, headers, body }))
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((error: unknown) => {
        console.error(error);
        res.writeHead(500).end();
      });
  });
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${(server.address() as import("node:net").AddressInfo).port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
