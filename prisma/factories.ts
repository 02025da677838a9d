// Rows for the seed and for tests, with unique defaults so a test names only what it
// is about: createUser(db, { memberships: [{ teamId, role: "auditor" }] }).
import { randomBytes } from "node:crypto";
import { hashPassword } from "@/lib/auth/password";
import type { DbTransaction } from "@/lib/db/client";
import type { Exposure } from "@/lib/generated/prisma/enums";

/** A PrismaClient or an interactive transaction's client. */
export type FactoryDb = DbTransaction;

/** The password of factory-made users that do not name one. */
export const FACTORY_PASSWORD = "factory-password-1234";

let sequence = 0;
function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}-${sequence}-${randomBytes(3).toString("hex")}`;
}

// scrypt costs ~50–100 ms by design; tests create many users with the same password,
// so each distinct password is hashed once per process.
const hashes = new Map<string, Promise<string>>();
function hashOnce(password: string): Promise<string> {
  let hash = hashes.get(password);
  if (!hash) {
    hash = hashPassword(password);
    hashes.set(password, hash);
  }
  return hash;
}

export type CreateUserOptions = {
  email?: string;
  name?: string;
  password?: string;
  disabledAt?: Date | null;
  /** role: one of lib/auth/roles.ts (a CHECK constraint refuses anything else). */
  memberships?: { teamId: string; role: string }[];
};

export async function createUser(db: FactoryDb, options: CreateUserOptions = {}) {
  const handle = unique("user");
  return db.user.create({
    data: {
      email: options.email ?? `${handle}@rampart.test`,
      name: options.name ?? `User ${handle}`,
      passwordHash: await hashOnce(options.password ?? FACTORY_PASSWORD),
      disabledAt: options.disabledAt ?? null,
      memberships: { create: (options.memberships ?? []).map(({ teamId, role }) => ({ teamId, role })) },
    },
    include: { memberships: true },
  });
}

export type CreateTeamOptions = { slug?: string; name?: string; description?: string };

export async function createTeam(db: FactoryDb, options: CreateTeamOptions = {}) {
  const slug = options.slug ?? unique("team");
  return db.team.create({
    data: { slug, name: options.name ?? `Team ${slug}`, description: options.description ?? "" },
  });
}

export type CreateApplicationOptions = {
  teamId: string;
  slug?: string;
  name?: string;
  description?: string;
  exposure?: Exposure;
  upstreamUrl?: string;
};

export async function createApplication(db: FactoryDb, options: CreateApplicationOptions) {
  const slug = options.slug ?? unique("app");
  return db.application.create({
    data: {
      teamId: options.teamId,
      slug,
      name: options.name ?? `Application ${slug}`,
      description: options.description ?? "",
      exposure: options.exposure ?? "internal",
      upstreamUrl: options.upstreamUrl ?? "http://127.0.0.1:9000",
    },
  });
}

export type CreateAcceptedDecisionOptions = {
  teamId: string;
  architecture: "A" | "B" | "C";
  authorId: string;
  acceptedById: string;
  /** The applications the record names; none: the team-wide decision. */
  applicationIds?: string[];
};

/** An accepted architecture decision record, as if proposed and accepted through the portal. */
export async function createAcceptedDecision(db: FactoryDb, options: CreateAcceptedDecisionOptions) {
  return db.architectureDecision.create({
    data: {
      teamId: options.teamId,
      title: `Architecture ${options.architecture}`,
      status: "accepted",
      architecture: options.architecture,
      recommended: options.architecture,
      answers: {},
      evaluation: {},
      consequences: [],
      alternatives: [],
      authorId: options.authorId,
      acceptedById: options.acceptedById,
      acceptedAt: new Date(),
      applications: { create: (options.applicationIds ?? []).map((applicationId) => ({ applicationId })) },
    },
  });
}
