// The demo organisation `npm start` creates on its first start (and `npm run db:seed`):
// four teams, one account per role, three applications. All demo accounts share one
// documented password; the seed does nothing once any user exists.
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Db } from "@/lib/db/client";
import type { Role } from "@/lib/auth/roles";
import type { Exposure } from "@/lib/generated/prisma/enums";
import { createApplication, createTeam, createUser } from "./factories";

export const DEMO_PASSWORD = "rampart-demo-password";

export const DEMO_TEAMS = [
  { slug: "platform", name: "Platform", description: "Runs Rampart and the shared gateway." },
  { slug: "security", name: "Security team", description: "Owns the security baseline and approves policies." },
  { slug: "payments", name: "Payments", description: "Payment APIs and their background workers." },
  { slug: "storefront", name: "Storefront", description: "The public web shop." },
] as const;

type DemoTeam = (typeof DEMO_TEAMS)[number]["slug"];
export type DemoAccount = { email: string; name: string; role: Role; team: DemoTeam };

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { email: "admin@rampart.local", name: "Ada Admin", role: "admin", team: "platform" },
  { email: "security@rampart.local", name: "Sam Security", role: "security-officer", team: "security" },
  { email: "security2@rampart.local", name: "Sasha Security", role: "security-officer", team: "security" },
  { email: "lead@rampart.local", name: "Lee Lead", role: "project-lead", team: "payments" },
  { email: "dev@rampart.local", name: "Dana Developer", role: "developer", team: "payments" },
  { email: "dev.storefront@rampart.local", name: "Stevie Storefront", role: "developer", team: "storefront" },
  { email: "auditor@rampart.local", name: "Avery Auditor", role: "auditor", team: "platform" },
];

export const DEMO_APPLICATIONS: readonly { slug: string; name: string; team: DemoTeam; exposure: Exposure; upstreamUrl: string; description: string }[] = [
  // HTTPS: the payments API's demo policy requires TLS to its upstream (verified against
  // its CA); `npm run demo` serves it here with a certificate for that name.
  {
    slug: "payments-api",
    name: "Payments API",
    team: "payments",
    exposure: "internet",
    upstreamUrl: "https://127.0.0.1:9443",
    description: "Card and wallet payments for the shop and partners.",
  },
  {
    slug: "payments-worker",
    name: "Payments worker",
    team: "payments",
    exposure: "internal",
    upstreamUrl: "http://127.0.0.1:9001",
    description: "Settles and reconciles payments in the background.",
  },
  {
    slug: "storefront-web",
    name: "Storefront web",
    team: "storefront",
    exposure: "internet",
    upstreamUrl: "http://127.0.0.1:9002",
    description: "The public web shop.",
  },
];

// Replicas starting together against one empty database must seed it once.
const SEED_LOCK_KEY = 72707370;

/** Creates the demo organisation unless the database already has users. */
export async function seedDemoOrganisation(db: Db): Promise<{ seeded: boolean }> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`;
      if ((await tx.user.count()) > 0) return { seeded: false };
      const teamIds = new Map<string, string>();
      for (const team of DEMO_TEAMS) teamIds.set(team.slug, (await createTeam(tx, team)).id);
      const teamId = (slug: DemoTeam) => teamIds.get(slug)!;
      for (const account of DEMO_ACCOUNTS) {
        await createUser(tx, {
          email: account.email,
          name: account.name,
          password: DEMO_PASSWORD,
          memberships: [{ teamId: teamId(account.team), role: account.role }],
        });
      }
      for (const { team, ...app } of DEMO_APPLICATIONS) await createApplication(tx, { ...app, teamId: teamId(team) });
      return { seeded: true };
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

/** The demo accounts as a text table, for `npm start` and `npm run db:seed`. */
export function formatDemoAccounts(): string {
  const rows = [["email", "role", "team"], ...DEMO_ACCOUNTS.map((a) => [a.email, a.role, a.team])];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map(
    (row) =>
      "  " +
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
  );
  lines.splice(1, 0, "  " + widths.map((w) => "-".repeat(w)).join("  "));
  return `${lines.join("\n")}\n  password for all: ${DEMO_PASSWORD}`;
}

async function main() {
  if (!process.env.DATABASE_URL) {
    process.stderr.write("db:seed: DATABASE_URL is not set\n");
    process.exit(1);
  }
  const [{ createDbClient }, { describeConnectionError }] = await Promise.all([import("@/lib/db/client"), import("@/lib/db/describe-connection-error")]);
  const db = createDbClient(process.env.DATABASE_URL);
  try {
    const { seeded } = await seedDemoOrganisation(db);
    if (seeded) await (await import("@/lib/policies/seed-demo-policies")).seedDemoPolicies(db);
    process.stdout.write(seeded ? `db:seed: demo organisation created\n${formatDemoAccounts()}\n` : "db:seed: the database already has users; nothing to do\n");
  } catch (error) {
    process.stderr.write(`db:seed: ${describeConnectionError(error)}\n`);
    process.exitCode = 1;
  } finally {
    await db.$disconnect();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
