import "server-only";
import { requireTeamPermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { AppError, type FieldError } from "@/lib/errors/app-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import { createDecisionInput, type CreateDecisionInput } from "./architecture-schemas";
import { decisionReference } from "./decision-reference";
import { findOverlappingAccepted, lockTeamDecisions, overlapConflict } from "./decision-scope";
import { decisionAuditView, decisionInclude, toDecisionView } from "./decision-view";
import { describeDecision } from "./describe-decision";
import { evaluateAnswers } from "./evaluate-answers";

/**
 * Saves a questionnaire result as a proposed decision record for applications of one
 * team (or for the team as a whole). The evaluation, consequences and alternatives are
 * computed here and stored with the record, so it reads the same in years.
 */
export async function createArchitectureDecision({ ctx, input }: { ctx: RequestContext; input: CreateDecisionInput }) {
  const data = createDecisionInput.parse(input);
  // The team comes from the request; the permission is checked against it, so a project
  // lead can only propose for teams they lead.
  const actor = requireTeamPermission(ctx, "architecture:propose", data.teamId);

  return db.$transaction(async (tx) => {
    const team = await tx.team.findUnique({ where: { id: data.teamId }, select: { id: true, name: true } });
    if (!team) throw invalid([{ path: "body.teamId", message: "is not a team" }]);

    const applications = await tx.application.findMany({
      where: { id: { in: data.applicationIds }, teamId: data.teamId },
      select: { id: true, name: true, archivedAt: true },
    });
    const errors: FieldError[] = [];
    data.applicationIds.forEach((id, index) => {
      const app = applications.find((a) => a.id === id);
      if (!app) errors.push({ path: `body.applicationIds.${index}`, message: "is not an application of this team" });
      else if (app.archivedAt) errors.push({ path: `body.applicationIds.${index}`, message: `${app.name} is archived` });
    });
    if (errors.length > 0) throw invalid(errors);

    await lockTeamDecisions(tx, data.teamId);
    let supersedes: { id: string; number: number } | null = null;
    if (data.supersedesId) {
      const previous = await tx.architectureDecision.findFirst({
        where: { id: data.supersedesId, teamId: data.teamId },
        select: { id: true, number: true, status: true },
      });
      if (!previous) throw invalid([{ path: "body.supersedesId", message: "is not a decision record of this team" }]);
      if (previous.status !== "accepted") {
        throw new AppError("CONFLICT", `${decisionReference(previous.number)} is ${previous.status}; only the accepted decision can be revisited.`, {
          details: { supersedesStatus: previous.status },
        });
      }
      supersedes = previous;
    }
    const overlapping = await findOverlappingAccepted(tx, {
      teamId: data.teamId,
      applicationIds: data.applicationIds,
      excludeIds: supersedes ? [supersedes.id] : [],
    });
    if (overlapping.length > 0) throw overlapConflict(overlapping, data.applicationIds);

    const evaluation = evaluateAnswers(data.answers);
    const architecture = data.architecture ?? evaluation.architecture;
    const names = data.applicationIds.map((id) => applications.find((a) => a.id === id)!.name);
    const scopeLabel = names.length === 0 ? `all applications of ${team.name}` : listOf(names);
    const content = describeDecision({ answers: data.answers, evaluation, architecture, rationale: data.rationale, scopeLabel });

    const created = await tx.architectureDecision.create({
      data: {
        teamId: data.teamId,
        title: data.title ?? content.title,
        architecture,
        recommended: evaluation.architecture,
        answers: data.answers as Prisma.InputJsonValue,
        evaluation: evaluation as unknown as Prisma.InputJsonValue,
        context: data.context,
        rationale: data.rationale,
        consequences: content.consequences,
        alternatives: content.alternatives,
        supersedesId: supersedes?.id ?? null,
        authorId: actor.user.id,
        applications: { create: data.applicationIds.map((applicationId) => ({ applicationId })) },
      },
      include: decisionInclude,
    });
    await recordAuditEvent(tx, ctx, {
      action: "architecture-decision.propose",
      target: { type: "architecture-decision", id: created.id },
      teamId: created.teamId,
      summary: {
        after: decisionAuditView(created),
        applications: data.applicationIds,
        recommended: evaluation.architecture,
        supersedes: supersedes ? decisionReference(supersedes.number) : null,
      },
    });
    return toDecisionView(created);
  });
}

function invalid(fieldErrors: FieldError[]) {
  return new AppError("VALIDATION_FAILED", "The decision record cannot be saved as sent.", { fieldErrors });
}

function listOf(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
