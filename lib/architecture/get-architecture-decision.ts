import "server-only";
import { teamScope, type Actor } from "@/lib/auth/actor";
import { db, type DbTransaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { decisionInclude, toDecisionView } from "./decision-view";

/** One decision record the actor may read; another team's record is "not found". */
export async function getArchitectureDecision({ actor, id, tx }: { actor: Actor; id: string; tx?: DbTransaction }) {
  const row = await (tx ?? db).architectureDecision.findFirst({
    where: { id, ...teamScope(actor, "architecture:read") },
    include: decisionInclude,
  });
  if (!row) throw new AppError("NOT_FOUND", "No such decision record.");
  return { ...toDecisionView(row), teamId: row.teamId, authorId: row.authorId, supersedesId: row.supersedesId };
}
