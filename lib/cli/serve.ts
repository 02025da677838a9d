// The portal's HTTP server: Next.js behind a thin node:http front that fixes up
// forwarded headers and sets HSTS over https (lib/server/portal-front.ts). `npm start` runs it after
// preparing the database; in a cluster, each replica runs it directly:
//   DATABASE_URL=… PORT=3000 tsx lib/cli/serve.ts [--workers N]
// One worker process per CPU shares the port (lib/server/portal-workers.ts);
// RAMPART_WORKERS=N or --workers N sets how many, 1 serves from this process alone.
import cluster from "node:cluster";
import path from "node:path";
import pg from "pg";
import { scheduleExceptionExpirySweeps } from "@/lib/approvals/schedule-exception-expiry-sweeps";
import { formatEnvErrors, parseEnv } from "@/lib/env";
import { allowServerOnlyImports } from "@/lib/server/allow-server-only-imports";
import { apiFront } from "@/lib/server/api-front";
import { ApiRouteTable, findRouteFiles } from "@/lib/server/api-route-table";
import { listenAddress } from "@/lib/server/listen-address";
import { portalFront } from "@/lib/server/portal-front";
import { listenPortal } from "@/lib/server/portal-listener";
import { scheduleSecurityEventSweeps } from "@/lib/security-events/schedule-security-event-sweeps";
import { poolSizePerWorker, portalWorkerCount, superviseWorkers } from "@/lib/server/portal-workers";
import { readSweepSettings, sweepsOffEnv, type SweepSettings } from "@/lib/server/sweep-settings";
import { scheduleWebhookSweeps } from "@/lib/webhooks/schedule-webhook-sweeps";

// Every setting of lib/env.ts (and each single sign-on provider's) is checked before serving:
// a bad one stops the process with the variable's name, not at the first request needing it.
const checkedEnv = parseEnv(process.env);
if (!checkedEnv.success) {
  process.stderr.write(`Invalid environment:\n${formatEnvErrors(checkedEnv.error)}\n`);
  process.exit(1);
}

const { hostname, port } = listenAddress(process.env);
const trustedHops = Number(process.env.TRUSTED_PROXY_HOPS ?? 0);
// Maintenance sweeps (lib/server/sweep-settings.ts): every replica ticks, the sweeps take
// turns through the database; 0 turns one off in this process.
let sweeps: SweepSettings;
try {
  sweeps = readSweepSettings(process.env);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
const eventRetentionDays = checkedEnv.data.RAMPART_EVENT_RETENTION_DAYS;
const apiThroughNext = checkedEnv.data.RAMPART_API_THROUGH_NEXT;
const dir = path.resolve(import.meta.dirname, "../..");

const workersFlag = process.argv.indexOf("--workers");
let workers: number;
try {
  workers = portalWorkerCount(workersFlag === -1 ? process.env.RAMPART_WORKERS : process.argv[workersFlag + 1]);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}

if (cluster.isPrimary && workers > 1) {
  const poolSize = process.env.DATABASE_POOL_SIZE ?? String(await defaultPoolSize(workers));
  superviseWorkers({
    count: workers,
    // Maintenance sweeps take turns through the database anyway; one worker ticking is enough.
    workerEnv: (index) => ({ DATABASE_POOL_SIZE: poolSize, ...(index > 0 ? sweepsOffEnv() : {}) }),
    onReady: (pids) => {
      process.stdout.write(`rampart portal: ${workers} workers (pids ${pids.join(", ")}), ${poolSize} database connections each\n`);
      process.send?.({ ready: true, port });
    },
  });
} else {
  await serveHere();
}

/** Pool per worker from the server's max_connections (lib/server/portal-workers.ts); 10 when it cannot be read. */
async function defaultPoolSize(count: number): Promise<number> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ max: string; reserved: string }>(
      "SELECT current_setting('max_connections') AS max, current_setting('superuser_reserved_connections') AS reserved",
    );
    return poolSizePerWorker({ maxConnections: Number(rows[0]!.max), reserved: Number(rows[0]!.reserved), workers: count });
  } catch {
    return 10;
  } finally {
    await client.end().catch(() => {});
  }
}

async function serveHere() {
  const { default: next } = await import("next");
  const app = next({ dev: false, dir, hostname, port });
  await app.prepare();
  const nextHandle = app.getRequestHandler();
  // The API's route handlers are served without Next.js's request machinery
  // (lib/server/api-front.ts); RAMPART_API_THROUGH_NEXT=1 sends them through Next as well,
  // to compare the two (`npm run bench:portal -- --compare-api-front`).
  let apiRoutes: ApiRouteTable | null = null;
  if (!apiThroughNext) {
    allowServerOnlyImports();
    // Compiled (the image), the route modules are in this bundle; from the sources, the files are found and imported.
    const { bundledApiRoutes } = await import("@/lib/server/bundled-api-routes");
    apiRoutes = bundledApiRoutes
      ? ApiRouteTable.of(bundledApiRoutes)
      : new ApiRouteTable(findRouteFiles(path.join(dir, "app", "api")), (file, error) =>
          process.stderr.write(
            `rampart portal: ${path.relative(dir, file)} is served by Next.js: it did not load outside it (${(error as Error)?.message ?? String(error)})\n`,
          ),
        );
  }
  const authority = `${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
  const handle = apiRoutes ? apiFront(nextHandle, { table: apiRoutes, authority }) : nextHandle;

  // Where README says (PORT / HOST, loopback by default); HTTPS when TLS_CERT_FILE and
  // TLS_KEY_FILE are set (deploy/ does: the gateway reaches the portal over TLS).
  const { server, scheme, close: closeListener } = await listenPortal(portalFront(handle, trustedHops), process.env);
  // Every route module is imported before the worker says it is ready: no first request waits for one.
  await apiRoutes?.preload();
  process.stdout.write(`rampart portal listening on ${scheme}://${hostname}:${port}\n`);
  process.send?.({ ready: true, port });
  const { EXCEPTION_EXPIRY_SWEEP_SECONDS: expirySeconds, WEBHOOK_SWEEP_SECONDS: webhookSeconds } = sweeps;
  const stopSweeps = expirySeconds > 0 ? scheduleExceptionExpirySweeps({ intervalMs: expirySeconds * 1000 }) : () => {};
  const stopWebhookSweeps = webhookSeconds > 0 ? scheduleWebhookSweeps({ intervalMs: webhookSeconds * 1000 }) : () => {};
  // Security events: drop daily partitions past RAMPART_EVENT_RETENTION_DAYS, create the next days' (one replica at a time, through the database).
  const stopEventSweeps = scheduleSecurityEventSweeps({ intervalMs: 3_600_000, retentionDays: eventRetentionDays });

  function shutdown() {
    closeListener();
    stopSweeps();
    stopWebhookSweeps();
    stopEventSweeps();
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  }
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}
