import type { Prisma } from "@/lib/generated/prisma/client";
import type { Answers } from "./answers-schema";
import type { Alternative, DecisionView, EvaluationView } from "./architecture-schemas";
import { decisionReference } from "./decision-reference";

// Prisma row → the record as the API and the pages show it. The JSON columns were
// written from the schemas in architecture-schemas.ts; the response schema checks
// them again on the way out.

export const decisionInclude = {
  team: { select: { id: true, slug: true, name: true } },
  applications: {
    select: { application: { select: { id: true, slug: true, name: true } } },
    orderBy: { application: { name: "asc" } },
  },
  author: { select: { id: true, name: true, email: true } },
  acceptedBy: { select: { id: true, name: true, email: true } },
  supersedes: { select: { id: true, number: true, status: true } },
  // At most one revision was ever accepted (accepting requires the record to still be accepted).
  revisions: {
    where: { status: { in: ["accepted", "superseded"] } },
    select: { id: true, number: true, status: true },
    take: 1,
  },
} as const satisfies Prisma.ArchitectureDecisionInclude;

export type DecisionRow = Prisma.ArchitectureDecisionGetPayload<{ include: typeof decisionInclude }>;

const ref = (d: { id: string; number: number; status: DecisionView["status"] }) => ({ ...d, reference: decisionReference(d.number) });

export function toDecisionView(row: DecisionRow) {
  return {
    id: row.id,
    number: row.number,
    reference: decisionReference(row.number),
    title: row.title,
    status: row.status,
    architecture: row.architecture,
    recommended: row.recommended,
    team: row.team,
    applications: row.applications.map((a) => a.application),
    answers: row.answers as Answers,
    evaluation: row.evaluation as EvaluationView,
    context: row.context,
    rationale: row.rationale,
    consequences: row.consequences as string[],
    alternatives: row.alternatives as Alternative[],
    author: row.author,
    createdAt: row.createdAt,
    acceptedBy: row.acceptedBy,
    acceptedAt: row.acceptedAt,
    supersededAt: row.supersededAt,
    supersedes: row.supersedes ? ref(row.supersedes) : null,
    supersededBy: row.revisions[0] ? ref(row.revisions[0]) : null,
    version: row.version,
  };
}

/** What of a record goes into audit summaries: enough to know which decision moved where. */
export function decisionAuditView(d: { number: number; title: string; status: string; architecture: string; version: number }) {
  return { reference: decisionReference(d.number), title: d.title, status: d.status, architecture: d.architecture, version: d.version };
}
