// npm run bench:events — security events at scale, on this machine:
//
// 1. Ingestion: 50 simulated proxies (the proxy's own EventShipper: bounded queue, gzip
//    batches, batch ids, Retry-After) send for 60 s, each as fast as the portal accepts,
//    to POST /api/v1/delivery/events — the portal's route handler (auth, gzip, zod,
//    ingestion slots, PostgreSQL sink) behind a node:http server in a child process
//    (events-portal-server.ts), so the proxies' own work is not counted as the portal's.
//    Events follow the distributions of part 2. Figures: events stored per second (rows
//    in security_events / elapsed), 429s, and CPU per event — the portal process's CPU
//    time and its PostgreSQL backends' CPU time, each ÷ events stored: less sensitive than
//    the rate to other load on a shared machine.
// 2. Reading at 5 million: the table filled to --events stored events over 14 daily
//    partitions, server-side (INSERT … SELECT FROM generate_series, one per day): 20
//    applications in two teams, 10 families, 200 rules, 2,000 paths, 50,000 client IPs,
//    each skewed as real traffic is (a few rules, paths and clients make most events);
//    one in seven logged rather than blocked. Their per-minute counters and rollups (rule and
//    family by hour and day, path and client of logged events by hour) are derived from
//    them, as ingestion would have written them. Then the list and
//    summary endpoints are called repeatedly as an organisation-wide reader and as a team
//    developer, first page and filtered, and a cursor page a week deep. Figure: p95 per call.
//
// It uses its own database (a copy of the migrated test template), never the portal's.
//   flock /tmp/rampart-heavy.lock npm run bench:events [-- --seconds 60 --proxies 50 --stored 5000000]
//   (--stored 0 skips part 2; --seconds 0 skips part 1; --keep leaves the database for EXPLAIN)

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { createIsolatedDatabase, prepareTestDatabases } from "../../tests/helpers/test-database";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    proxies: { type: "string", default: "50" },
    stored: { type: "string", default: "5000000" },
    samples: { type: "string", default: "40" },
    /** Leave the seeded database behind (its URL is printed) for EXPLAIN; drop it by hand. */
    keep: { type: "boolean", default: false },
  },
});
const SECONDS = Number(values.seconds);
const PROXIES = Number(values.proxies);
const STORED = Number(values.stored);
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

const portal = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", new URL("./events-portal-server.ts", import.meta.url).pathname], {
  env: { ...process.env },
  stdio: ["ignore", "pipe", "inherit"],
});
// The seed's statements (counters and rollups derived from millions of rows) run longer than
// the portal's statement timeout; the portal process keeps its own, unchanged.
process.env.DATABASE_QUERY_TIMEOUT_MS = "900000";
const portalUrl = await new Promise<string>((resolve, reject) => {
  portal.once("exit", (code) => reject(new Error(`the portal process exited (${code})`)));
  createInterface({ input: portal.stdout! }).on("line", (line) => {
    const port = /^listening (\d+)$/.exec(line)?.[1];
    if (port) resolve(`http://127.0.0.1:${port}`);
    else console.log(`[portal] ${line}`);
  });
});

// One organisation: two teams, twenty applications, one proxy target delivering them all.
const teams = [await createTeam(db, { slug: "bench-a" }), await createTeam(db, { slug: "bench-b" })];
const apps: Array<{ id: string }> = [];
for (let i = 0; i < 20; i++) apps.push(await createApplication(db, { teamId: teams[i % 2]!.id, slug: `bench-app-${i}` }));
const appIds = apps.map((a) => a.id);
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

// The distributions, shared by the simulated proxies (JavaScript) and the seed (SQL):
// key = floor(n × random^skew), so key 0 is the most frequent.
const FAMILIES = ["sqli", "xss", "rce", "lfi", "rfi", "php", "java", "protocol", "scanner", "session"];
const SHAPE = { rules: [200, 2], paths: [2000, 2], clients: [50_000, 3], apps: [20, 1.5] } as const;
const pick = ([n, skew]: readonly [number, number]) => Math.floor(n * Math.random() ** skew);
const ruleOf = (r: number) => ({ family: FAMILIES[r % 10]!, ruleId: `${FAMILIES[r % 10]}.rule-${r}` });
const pathOf = (p: number) => `/area-${p % 40}/page-${p}`;
const clientOf = (c: number) => `10.${(c >> 16) & 255}.${(c >> 8) & 255}.${c & 255}`;

// ---- 1. ingestion -------------------------------------------------------------------
async function portalCpuMicros(): Promise<number> {
  return ((await (await fetch(`${portalUrl}/bench/cpu`)).json()) as { cpuMicros: number }).cpuMicros;
}
/** CPU time (µs) of the PostgreSQL backends serving this database, by pid. */
async function backendCpuMicros(): Promise<Map<number, number>> {
  const rows = await db.$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
  const ticks = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks.set(pid, (Number(fields[11]) + Number(fields[12])) * 10_000); // utime + stime, 100 ticks/s
    } catch {
      // Not on this host (or gone): not counted.
    }
  }
  return ticks;
}

if (SECONDS > 0) {
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
    return shipper;
  });
  let seq = 0;
  const cpuBefore = await portalCpuMicros();
  const backendsBefore = await backendCpuMicros();
  for (const s of shippers) s.start();
  const started = Date.now();
  const feeder = setInterval(() => {
    // Each proxy always has a full batch waiting: the portal, not the feeder, is the bottleneck.
    const now = new Date().toISOString();
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    for (let p = 0; p < PROXIES; p++) {
      const shipper = shippers[p]!;
      if (shipper.stats().queued >= 2000) continue;
      const events = [];
      const counts = new Map<string, { applicationId: string; family: string; ruleId: string; action: "blocked" | "logged"; count: number }>();
      for (let i = 0; i < 1000; i++) {
        const { family, ruleId } = ruleOf(pick(SHAPE.rules));
        const applicationId = appIds[pick(SHAPE.apps)]!;
        const action = ++seq % 7 === 0 ? ("logged" as const) : ("blocked" as const);
        events.push({
          time: now,
          requestId: `p${p}-${seq}`,
          applicationId,
          policyVersionId: null,
          policyHash: "sha256:bench",
          action,
          family,
          ruleId,
          method: "GET",
          host: "bench.example",
          path: pathOf(pick(SHAPE.paths)),
          part: "parameter",
          parameter: "q",
          excerpt: "1 UNION SELECT password FROM users--",
          clientIp: clientOf(pick(SHAPE.clients)),
          status: action === "blocked" ? 403 : 200,
        });
        const key = `${applicationId} ${ruleId} ${action}`;
        const counter = counts.get(key);
        if (counter) counter.count++;
        else counts.set(key, { applicationId, family, ruleId, action, count: 1 });
      }
      shipper.offer(
        events,
        [...counts.values()].map((c) => ({ minute, ...c })),
      );
    }
  }, 100);
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  clearInterval(feeder);
  const elapsed = (Date.now() - started) / 1000;
  const ingested = await db.securityEvent.count();
  const cpu = (await portalCpuMicros()) - cpuBefore;
  let backendCpu = 0;
  for (const [pid, micros] of await backendCpuMicros()) backendCpu += micros - (backendsBefore.get(pid) ?? 0);
  const stats = shippers.map((s) => s.stats());
  for (const s of shippers) await s.stop(0);
  console.log(
    `ingested ${ingested.toLocaleString("en")} events in ${elapsed.toFixed(1)} s = ${Math.round(ingested / elapsed).toLocaleString("en")} events/s ` +
      `(${stats.reduce((n, s) => n + s.batchesSent, 0)} batches from ${PROXIES} proxies; ${JSON.stringify(shipperTotals(stats))})`,
  );
  console.log(
    `CPU per event: portal process ${(cpu / ingested).toFixed(1)} µs, PostgreSQL backends ${(backendCpu / ingested).toFixed(1)} µs ` +
      `(portal ${(cpu / 1e6).toFixed(1)} s, backends ${(backendCpu / 1e6).toFixed(1)} s of CPU)`,
  );
}

function shipperTotals(stats: object[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const s of stats) for (const [k, v] of Object.entries(s)) if (typeof v === "number" && k !== "queued") totals[k] = (totals[k] ?? 0) + v;
  return totals;
}

// ---- 2. reading at 5 million ---------------------------------------------------------
if (STORED > 0) {
  const need = Math.max(0, STORED - (await db.securityEvent.count()));
  console.log(`seeding ${need.toLocaleString("en")} more events over 14 days…`);
  const seedStart = Date.now();
  const perDay = Math.ceil(need / 14);
  const families = FAMILIES;
  for (let d = 0; d < 14; d++) {
    const day = new Date(Date.now() - d * 86_400_000).toISOString().slice(0, 10);
    await db.$executeRaw`SELECT rampart_ensure_security_event_partition(${day}::date)`;
    const dayStart = new Date(`${day}T00:00:00Z`);
    const span = Math.min(86_400_000, Date.now() - dayStart.getTime()) / 1000;
    await db.$executeRaw`
      INSERT INTO security_events (id, occurred_at, target_id, instance_id, batch_id, request_id, application_id, policy_hash, action, family, rule_id,
        method, host, path, part, parameter, excerpt, client_ip, status)
      SELECT gen_random_uuid(), ${dayStart}::timestamptz + make_interval(secs => random() * ${span}), '00000000-0000-4000-8000-000000000000', 'seed',
        '00000000-0000-4000-8000-000000000000', 'seed-' || g, (${appIds}::uuid[])[1 + floor(20 * random() ^ 1.5)::int],
        '', CASE WHEN g % 7 = 0 THEN 'logged' ELSE 'blocked' END, (${families}::text[])[1 + r % 10], (${families}::text[])[1 + r % 10] || '.rule-' || r,
        'GET', 'bench.example', '/area-' || (p % 40) || '/page-' || p, 'parameter', 'q', '1 UNION SELECT password FROM users--',
        '10.' || ((c >> 16) & 255) || '.' || ((c >> 8) & 255) || '.' || (c & 255), CASE WHEN g % 7 = 0 THEN 200 ELSE 403 END
      FROM generate_series(1, ${perDay}) AS g,
        LATERAL (SELECT floor(200 * random() ^ 2)::int + 0 * g AS r, floor(2000 * random() ^ 2)::int AS p, floor(50000 * random() ^ 3)::int AS c) AS k`;
    process.stdout.write(`  day ${d + 1}/14 events\r`);
  }
  // Counters and rollups as ingestion writes them (the seed's events are all the decisions),
  // in time order as ingestion stores them (a window's rows share pages, as they would).
  await db.$executeRaw`
    INSERT INTO security_event_counters (minute, application_id, family, rule_id, action, count)
    SELECT date_trunc('minute', occurred_at, 'UTC'), application_id::text, family, rule_id, action, count(*) FROM security_events
    WHERE instance_id = 'seed' GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (minute, application_id, family, rule_id, action) DO UPDATE SET count = security_event_counters.count + EXCLUDED.count`;
  await db.$executeRaw`
    INSERT INTO security_event_rule_rollups (grain, bucket, application_id, family, rule_id, action, count)
    SELECT g.grain, date_trunc(g.grain, minute, 'UTC'), application_id, family, rule_id, action, sum(count)
    FROM security_event_counters, (VALUES ('hour'), ('day')) AS g(grain) GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (grain, bucket, application_id, family, rule_id, action) DO UPDATE SET count = security_event_rule_rollups.count + EXCLUDED.count`;
  await db.$executeRaw`
    INSERT INTO security_event_family_rollups (grain, bucket, application_id, family, action, count)
    SELECT g.grain, date_trunc(g.grain, minute, 'UTC'), application_id, family, action, sum(count)
    FROM security_event_counters, (VALUES ('hour'), ('day')) AS g(grain) GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (grain, bucket, application_id, family, action) DO UPDATE SET count = security_event_family_rollups.count + EXCLUDED.count`;
  await db.$executeRaw`
    INSERT INTO security_event_rollups (hour, dimension, application_id, family, action, value, count)
    SELECT date_trunc('hour', occurred_at, 'UTC'), d.dimension, application_id::text, family, action,
      CASE d.dimension WHEN 'path' THEN path ELSE client_ip END, count(*)
    FROM security_events, (VALUES ('path'), ('client')) AS d(dimension)
    WHERE instance_id = 'seed' AND action = 'logged' GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (hour, dimension, application_id, family, action, value) DO UPDATE SET count = security_event_rollups.count + EXCLUDED.count`;
  const tables = ["security_events", "security_event_counters", "security_event_rule_rollups", "security_event_family_rollups", "security_event_rollups"];
  for (const table of tables) await db.$executeRawUnsafe(`ANALYZE ${table}`);
  const sizes = await Promise.all(
    tables.map(async (table) => `${table} ${(await db.$queryRawUnsafe<[{ n: bigint }]>(`SELECT count(*) AS n FROM ${table}`))[0].n}`),
  );
  console.log(`stored rows: ${sizes.join(", ")} (seeded in ${((Date.now() - seedStart) / 1000).toFixed(0)} s)`);

  const cookies = { org: await sessionCookieFor(officer.id), team: await sessionCookieFor(developer.id) };
  const p95s: number[] = [];
  async function p95(name: string, path: string, cookie: string): Promise<void> {
    const times: number[] = [];
    let status = 0;
    let items = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const t0 = performance.now();
      const response = await fetch(`${portalUrl}${path}`, { headers: { cookie } });
      const body = (await response.json()) as { items?: unknown[] };
      status = response.status;
      items = body.items?.length ?? -1;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
    p95s.push(at(0.95));
    console.log(
      `${name.padEnd(50)} status ${status}${items >= 0 ? ` ${String(items).padStart(3)} items` : "          "}  p50 ${at(0.5).toFixed(1).padStart(7)} ms  p95 ${at(0.95).toFixed(1).padStart(7)} ms`,
    );
  }
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  // A client and a rule of middling frequency, and a row a week back for a deep cursor.
  // (the client rollups count logged events only: one in seven, spread as the rest.)
  const [client] = await db.$queryRaw<[{ client_ip: string }]>`SELECT value AS client_ip FROM security_event_rollups
    WHERE dimension = 'client' GROUP BY 1 ORDER BY sum(count) DESC OFFSET 500 LIMIT 1`;
  const [deep] = await db.$queryRaw<[{ occurred_at: Date; id: string }]>`
    SELECT occurred_at, id FROM security_events WHERE occurred_at < now() - interval '7 days' ORDER BY occurred_at DESC, id DESC LIMIT 1`;
  const deepCursor = Buffer.from(`${deep.occurred_at.toISOString()}|${deep.id}`, "utf8").toString("base64url");
  const team1App = appIds[1]!;

  await p95("list, newest 50 (organisation)", "/api/v1/security-events", cookies.org);
  await p95("list, newest 50 (team developer)", "/api/v1/security-events", cookies.team);
  await p95("list, cursor page a week deep (organisation)", `/api/v1/security-events?cursor=${deepCursor}`, cookies.org);
  await p95("list, application (team developer)", `/api/v1/security-events?applicationId=${team1App}`, cookies.team);
  await p95("list, family (organisation)", "/api/v1/security-events?family=rce", cookies.org);
  await p95("list, rule (organisation)", "/api/v1/security-events?ruleId=lfi.rule-113", cookies.org);
  await p95(`list, client IP ${client.client_ip} (organisation)`, `/api/v1/security-events?clientIp=${client.client_ip}`, cookies.org);
  await p95("list, 1 h window 3 days ago (organisation)", `/api/v1/security-events?from=${hoursAgo(73)}&to=${hoursAgo(72)}`, cookies.org);
  await p95("list, application + family + 1 day (team)", `/api/v1/security-events?applicationId=${team1App}&family=xss&from=${hoursAgo(24)}`, cookies.team);
  await p95("summary, last 24 h (organisation)", "/api/v1/security-events/summary", cookies.org);
  await p95("summary, last 24 h (team developer)", "/api/v1/security-events/summary", cookies.team);
  await p95("summary, 14 days by day (organisation)", `/api/v1/security-events/summary?from=${hoursAgo(14 * 24)}`, cookies.org);
  await p95("summary, 14 days by day (team developer)", `/api/v1/security-events/summary?from=${hoursAgo(14 * 24)}`, cookies.team);
  await p95("summary, application, 14 days (organisation)", `/api/v1/security-events/summary?applicationId=${team1App}&from=${hoursAgo(14 * 24)}`, cookies.org);
  await p95("summary, family, 24 h (organisation)", "/api/v1/security-events/summary?family=sqli", cookies.org);
  await p95("summary, last 3 h by minute (organisation)", `/api/v1/security-events/summary?from=${hoursAgo(3)}`, cookies.org);
  // A past 24 h that cuts both days in half (the day rows cannot stand in for either side) and a rule's summary.
  const yesterdayNoon = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 12 * 3_600_000);
  const dayBefore = new Date(yesterdayNoon.getTime() - 24 * 3_600_000);
  await p95(
    "summary, 24 h from noon to noon, 2 days ago (organisation)",
    `/api/v1/security-events/summary?from=${dayBefore.toISOString()}&to=${yesterdayNoon.toISOString()}`,
    cookies.org,
  );
  await p95("summary, rule, 24 h (organisation)", "/api/v1/security-events/summary?ruleId=lfi.rule-113", cookies.org);
  console.log(`worst p95 ${Math.max(...p95s).toFixed(1)} ms (target < 200 ms)`);
}

portal.kill("SIGTERM");
await db.$disconnect();
if (values.keep) console.log(`kept database ${database.url}`);
else {
  await database.drop();
  await databases.teardown();
}
process.exit(0);
