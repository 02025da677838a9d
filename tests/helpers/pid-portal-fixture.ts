// A stand-in for lib/cli/serve.ts's workers in tests of lib/server/portal-workers.ts: the
// same supervision, each worker an HTTP server that answers with its pid (no Next.js build
// needed). Prints "ready <pids>" once every worker listens.
//   PORT=… RAMPART_WORKERS=2 node --import tsx tests/helpers/pid-portal-fixture.ts
import cluster from "node:cluster";
import http from "node:http";
import { portalWorkerCount, superviseWorkers } from "../../lib/server/portal-workers";

const port = Number(process.env.PORT);
if (cluster.isPrimary) {
  superviseWorkers({
    count: portalWorkerCount(process.env.RAMPART_WORKERS),
    onReady: (pids) => process.stdout.write(`ready ${pids.join(",")}\n`),
  });
} else {
  const server = http.createServer((_req, res) => {
    res.setHeader("connection", "close");
    res.end(String(process.pid));
  });
  server.listen(port, "127.0.0.1", () => process.send?.({ ready: true }));
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
