// npm run bench:events — security events at scale, on this machine:
//
// 1. Ingestion: 50 simulated proxies (the proxy's own EventShipper: bounded queue, gzip
//    batches, batch ids, Retry-After) send for 60 s, each as fast as the portal accepts,
//    to POST /api/v1/delivery/events — the portal's route handler (auth, gzip, zod,
//    ingestion slots, PostgreSQL sink) behind a node:http server in this process. Figure:
//    events stored per second (rows in security_events / elapsed), and how many 429s.
// 2. Reading: the table filled to 5,000,000 events over 14 daily partitions (generate_series,
//    one INSERT … SELECT per day) plus their per-minute counters; then the list and summary
//    endpoints are called repeatedly as an organisation-wide reader and as a team developer,
//    with and without filters. Figure: p95 latency per call.
//
// It uses its own database (a copy of the migrated test template), never the portal's.
//   flock /tmp/rampart-heavy.lock npm run bench:events [-- --seconds 60 --proxies 50 --events 5000000]

import http from "node:http";
import { parseArgs } from "node:util";
import { createIsolatedDatabase, prepareTestDatabases } from "../../tests/helpers/test-database";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    proxies: { type: "string", default: "50" },
    events: { type: "string", default: "5000000" },
    samples: { type: "string", default: "40" },
  },
});
const SECONDS = Number(values.seconds);
const PROXIES = Number(values.proxies);
const TOTAL_EVENTS = Number(values.events);
const SAMPLES = Number(values.samples);

const databases = await prepareTestDatabases((line) => console.log(`[db] ${line}`));
const database = await createIsolatedDatabase();
process.env.DATABASE_URL = database.url;
process.env.DATABASE_POOL_SIZE ??= "12";

const { db } = await import("@/lib/db/client");
const { createApplication, createTeam, createUser } = await import("@/prisma/factories");
const { sessionCookieFor } = await import("../../tests/helpers/sign-in-as");
const { hashSecret } = await import("@/lib/auth/secret-token");
const { EventShipper } = await import("../../proxy/events/event-shipper");
const { DeliveryClient } = await import("../../proxy/policy/delivery-client");
const ingestRoute = await import("../../app/api/v1/delivery/events/route");
const listRoute = await import("../../app/api/v1/security-events/route");
const summaryRoute = await import("../../app/api/v1/security-events/summary/route");

type Handler = (request: Request) => Promise<Response>;
const ROUTES: Record<string, Handler> = {
  "POST /api/v1/delivery/events": ingestRoute.POST as Handler,
  "GET /api/v1/security-events": listRoute.GET as Handler,
  "GET /api/v1/security-events/summary": summaryRoute.GET as Handler,
};

// The route handlers behind a plain HTTP server: what Next.js does for them, minus its router.
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
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
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const portalUrl = `http://127.0.0.1:${(server.address() as import("node:net").AddressInfo).port}`;

// One organisation: two teams, ten applications, one proxy target delivering them all.
const teams = [await createTeam(db, { slug: "bench-a" }), await createTeam(db, { slug: "bench-b" })];
const apps: Array<{ id: string }> = [];
for (let i = 0; i < 10; i++) apps.push(await createApplication(db, { teamId: teams[i % 2]!.id, slug: `bench-app-${i}` }));
const token = "rdt_bench-events-token";
await db.deliveryTarget.create({
  data: {
    kind: "proxy",
    name: "bench",
    mode: "gateway",
    tokenHash: hashSecret(token),
    tokenPrefix: token.slice(0, 10),
    tokenIssuedAt: new Date(),
    namespaces: [],
    renders: [],
    applications: { create: apps.map((a) => ({ applicationId: a.id })) },
  },
});
const officer = await createUser(db, { memberships: [{ teamId: teams[0]!.id, role: "security-officer" }] });
const developer = await createUser(db, { memberships: [{ teamId: teams[1]!.id, role: "developer" }] });

const FAMILIES = [
  ["sqli", "sqli.union-select"],
  ["sqli", "sqli.tautology"],
  ["xss", "xss.script-tag"],
  ["rce", "rce.unix-command"],
  ["lfi", "lfi.path-traversal"],
] as const;
const PATHS = ["/search", "/login", "/api/orders", "/api/users", "/cart", "/checkout", "/admin", "/static/app.js"];

// ---- 1. ingestion -------------------------------------------------------------------
console.log(`ingestion: ${PROXIES} proxies for ${SECONDS} s against ${portalUrl}`);
const shippers = Array.from({ length: PROXIES }, (_, p) => {
  const client = new DeliveryClient({ portalUrl, token, instanceId: `proxy-${p}`, extraCa: null, statusTimeoutMs: 30_000 });
  const shipper = new EventShipper({
    transport: client,
    instanceId: `proxy-${p}`,
    queueCapacity: 20_000,
    batchSize: 1000,
    flushMs: 200,
    timeoutMs: 30_000,
    backoff: { baseMs: 200, capMs: 2000 },
  });
  shipper.start();
  return shipper;
});
let seq = 0;
const started = Date.now();
const feeder = setInterval(() => {
  // Each proxy always has a full batch waiting: the portal, not the feeder, is the bottleneck.
  const now = new Date().toISOString();
  for (let p = 0; p < PROXIES; p++) {
    const shipper = shippers[p]!;
    if (shipper.stats().queued >= 2000) continue;
    const events = [];
    for (let i = 0; i < 1000; i++) {
      const [family, ruleId] = FAMILIES[(seq + i) % FAMILIES.length]!;
      events.push({
        time: now,
        requestId: `p${p}-${++seq}`,
        applicationId: apps[(seq + p) % apps.length]!.id,
        policyVersionId: null,
        policyHash: "sha256:bench",
        action: "blocked" as const,
        family,
        ruleId,
        method: "GET",
        host: "bench.example",
        path: PATHS[seq % PATHS.length]!,
        part: "parameter",
        parameter: "q",
        excerpt: "1 UNION SELECT password FROM users--",
        clientIp: `203.0.${p}.${seq % 250}`,
        status: 403,
      });
    }
    shipper.offer(events, [
      {
        minute: new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString(),
        applicationId: apps[p % apps.length]!.id,
        family: "sqli",
        ruleId: "sqli.union-select",
        action: "blocked",
        count: 1000,
      },
    ]);
  }
}, 100);
await new Promise((r) => setTimeout(r, SECONDS * 1000));
clearInterval(feeder);
const elapsed = (Date.now() - started) / 1000;
const ingested = await db.securityEvent.count();
const batches = shippers.reduce((n, s) => n + s.stats().batchesSent, 0);
for (const s of shippers) await s.stop(0);
console.log(
  `ingested ${ingested.toLocaleString("en")} events in ${elapsed.toFixed(1)} s = ${Math.round(ingested / elapsed).toLocaleString("en")} events/s (${batches} batches from ${PROXIES} proxies)`,
);

// ---- 2. reading at 5 million ---------------------------------------------------------
const need = TOTAL_EVENTS - ingested;
console.log(`seeding ${need.toLocaleString("en")} more events over 14 days…`);
const seedStart = Date.now();
const perDay = Math.ceil(need / 14);
const appIds = apps.map((a) => a.id);
for (let d = 0; d < 14; d++) {
  const day = new Date(Date.now() - d * 86_400_000);
  await db.$executeRaw`SELECT rampart_ensure_security_event_partition(${day.toISOString().slice(0, 10)}::date)`;
  const dayStart = new Date(`${day.toISOString().slice(0, 10)}T00:00:00Z`);
  const span = Math.min(86_400_000, Date.now() - dayStart.getTime()) / 1000;
  await db.$executeRaw`
    INSERT INTO security_events (id, occurred_at, target_id, instance_id, batch_id, request_id, application_id, policy_hash, action, family, rule_id,
      method, host, path, part, parameter, excerpt, client_ip, status)
    SELECT gen_random_uuid(), ${dayStart}::timestamptz + make_interval(secs => random() * ${span}), gen_random_uuid(), 'seed', gen_random_uuid(), 'seed-' || g,
      (${appIds}::uuid[])[1 + g % 10], '', CASE WHEN g % 7 = 0 THEN 'logged' ELSE 'blocked' END,
      (ARRAY['sqli','sqli','xss','rce','lfi'])[1 + g % 5], (ARRAY['sqli.union-select','sqli.tautology','xss.script-tag','rce.unix-command','lfi.path-traversal'])[1 + g % 5],
      'GET', 'bench.example', (ARRAY['/search','/login','/api/orders','/api/users','/cart','/checkout','/admin','/static/app.js'])[1 + g % 8], 'parameter', 'q', 'x', '198.51.' || (g % 200) || '.' || (g % 250), 403
    FROM generate_series(1, ${perDay}) AS g`;
  await db.$executeRaw`
    INSERT INTO security_event_counters (minute, application_id, family, rule_id, action, count)
    SELECT m, a::text, 'sqli', 'sqli.union-select', 'blocked', 40
    FROM generate_series(${dayStart}::timestamptz, ${dayStart}::timestamptz + interval '1 day' - interval '1 minute', interval '1 minute') AS m, unnest(${appIds}::uuid[]) AS a
    WHERE m <= now()
    ON CONFLICT DO NOTHING`;
  process.stdout.write(`  day ${d + 1}/14\r`);
}
await db.$executeRawUnsafe("ANALYZE security_events");
await db.$executeRawUnsafe("ANALYZE security_event_counters");
const stored = await db.securityEvent.count();
console.log(`stored ${stored.toLocaleString("en")} events (seeded in ${((Date.now() - seedStart) / 1000).toFixed(0)} s)`);

const cookies = { org: await sessionCookieFor(officer.id), team: await sessionCookieFor(developer.id) };
async function p95(name: string, path: string, cookie: string): Promise<void> {
  const times: number[] = [];
  let status = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    const response = await fetch(`${portalUrl}${path}`, { headers: { cookie } });
    await response.arrayBuffer();
    status = response.status;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
  console.log(`${name.padEnd(52)} status ${status}  p50 ${at(0.5).padStart(7)} ms  p95 ${at(0.95).padStart(7)} ms`);
}
const day = new Date(Date.now() - 3 * 86_400_000).toISOString();
await p95("list, newest 50 (organisation)", "/api/v1/security-events", cookies.org);
await p95("list, page 2 via cursor (organisation)", await secondPage(cookies.org), cookies.org);
await p95("list, newest 50 (team developer)", "/api/v1/security-events", cookies.team);
await p95("list, rule + client filter (organisation)", "/api/v1/security-events?ruleId=xss.script-tag&clientIp=198.51.12.12", cookies.org);
await p95("list, application + 1 day window (team)", `/api/v1/security-events?applicationId=${apps[1]!.id}&from=${day}`, cookies.team);
await p95("summary, last 24 h (organisation)", "/api/v1/security-events/summary", cookies.org);
await p95("summary, last 24 h (team developer)", "/api/v1/security-events/summary", cookies.team);
await p95(
  "summary, 14 days by day (organisation)",
  `/api/v1/security-events/summary?from=${new Date(Date.now() - 14 * 86_400_000).toISOString()}`,
  cookies.org,
);
await p95("summary, path filter, 24 h (organisation)", "/api/v1/security-events/summary?path=/login", cookies.org);

async function secondPage(cookie: string): Promise<string> {
  const first = (await (await fetch(`${portalUrl}/api/v1/security-events`, { headers: { cookie } })).json()) as { nextCursor: string };
  return `/api/v1/security-events?cursor=${first.nextCursor}`;
}

server.close();
await db.$disconnect();
await database.drop();
await databases.teardown();
process.exit(0);
