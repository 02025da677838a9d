// npx tsx --conditions=react-server bench/approvals/queue-bench.ts [pending=10000] [iterations=200]
//
// Response time of the approval queue (GET /api/v1/approvals) with many pending entries.
// Seeds an isolated database (cloned from a freshly migrated template, on DATABASE_URL's
// server or an embedded PostgreSQL) with `pending` applications, each with a published
// policy version and a submitted next version, then calls the real route handler
// in-process with a security officer's session, as tests/helpers/call-api.ts does, and
// prints p50/p95 per query shape. Baselines measured in the same run: a plain count of the
// pending versions and a bare page of them without diffs, the floor any queue pays.
// (--conditions=react-server lets the `server-only` guard of lib/ load outside Next.js.)
import { performance } from "node:perf_hooks";
import { createIsolatedDatabase, prepareTestDatabases } from "../../tests/helpers/test-database";

const PENDING = Number(process.argv[2] ?? 10_000);
const ITERATIONS = Number(process.argv[3] ?? 200);
const WARMUP = 20;
const TEAMS = 25;
const AUTHORS = 50;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(label: string, run: () => Promise<unknown>) {
  for (let i = 0; i < WARMUP; i += 1) await run();
  const times: number[] = [];
  for (let i = 0; i < ITERATIONS; i += 1) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { label, p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function main() {
  const prepared = await prepareTestDatabases((line) => console.error(`[bench] ${line}`));
  const database = await createIsolatedDatabase();
  process.env.DATABASE_URL = database.url;
  // Imported after DATABASE_URL is set: lib/db/client.ts connects on first use.
  const { db } = await import("@/lib/db/client");
  try {
    const { seed } = await import("./seed-pending-approvals");
    const seedStart = performance.now();
    const { officerId, teamId } = await seed(db, { pending: PENDING, teams: TEAMS, authors: AUTHORS });
    console.log(`seeded ${PENDING} pending entries (${TEAMS} teams, ${AUTHORS} authors) in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    const { createSession, SESSION_COOKIE } = await import("@/lib/auth/session");
    const { token } = await createSession({ userId: officerId, ip: "203.0.113.7", userAgent: "queue-bench" });
    const cookie = `${SESSION_COOKIE}=${token}`;
    const { GET } = await import("@/app/api/v1/approvals/route");
    const list = (query: string) => async () => {
      const response = await GET(new Request(`http://127.0.0.1:3000/api/v1/approvals${query}`, { headers: { cookie } }), { params: Promise.resolve({}) });
      if (response.status !== 200) throw new Error(`GET /api/v1/approvals${query}: ${response.status} ${await response.text()}`);
      await response.json();
    };
    const first = (await (
      await GET(new Request("http://127.0.0.1:3000/api/v1/approvals", { headers: { cookie } }), { params: Promise.resolve({}) })
    ).json()) as {
      total: number;
      items: unknown[];
    };
    if (first.total !== PENDING || first.items.length !== 20)
      throw new Error(`the queue lists ${first.total} entries (${first.items.length} on page 1), expected ${PENDING}`);

    const results = [
      await measure("baseline: SELECT count(*) of pending versions", () => db.policyVersion.count({ where: { state: "submitted" } })),
      await measure("baseline: bare page of 20 pending rows, no diff", () =>
        db.policyVersion.findMany({
          where: { state: "submitted" },
          orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
          take: 20,
          select: { id: true, content: true },
        }),
      ),
      await measure("GET /approvals (oldest first, page 1)", list("")),
      await measure("GET /approvals?sort=newest&page=250", list("?sort=newest&page=250")),
      await measure("GET /approvals?teamId=…", list(`?teamId=${teamId}`)),
      await measure("GET /approvals?sort=risk", list("?sort=risk")),
      await measure("GET /approvals?risk=exception-added", list("?risk=exception-added")),
      await measure("GET /approvals?kind=application&olderThanDays=7&sort=policy", list("?kind=application&olderThanDays=7&sort=policy")),
    ];
    console.log(`\n${ITERATIONS} requests each after ${WARMUP} warm-up, in-process route handler, pageSize 20`);
    console.log(`${"query".padEnd(66)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)}`);
    for (const r of results) console.log(`${r.label.padEnd(66)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)}`);
    const plan = await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
      `EXPLAIN SELECT id FROM policy_versions WHERE state = 'submitted' ORDER BY submitted_at, id LIMIT 20 OFFSET 4980`,
    );
    console.log(`\nplan of a deep page: ${plan.map((row) => row["QUERY PLAN"].trim()).join(" / ")}`);
  } finally {
    await db.$disconnect();
    await database.drop();
    await prepared.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
