import "server-only";
import { requireActor, requireTeamPermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { decisionReference } from "./decision-reference";
import { findOverlappingAccepted, lockTeamDecisions, overlapConflict } from "./decision-scope";
import { decisionAuditView, decisionInclude, toDecisionView } from "./decision-view";
import { getArchitectureDecision } from "./get-architecture-decision";

/**
 * Accepts a proposed decision record, if it is still at `expectedVersion`. If it revisits
 * an accepted record, that one is superseded in the same transaction. Of two accepts of
 * the same record, exactly one wins; the other gets CONFLICT.
 */
export async function acceptArchitectureDecision({ ctx, id, expectedVersion }: { ctx: RequestContext; id: string; expectedVersion: number }) {
  const actor = requireActor(ctx);
  return db.$transaction(async (tx) => {
    const found = await getArchitectureDecision({ actor, id, tx });
    requireTeamPermission(ctx, "architecture:accept", found.teamId);
    // Four eyes: a decision that moves work between the security team and project teams
    // is signed off by someone other than the person who proposed it.
    if (found.authorId === actor.user.id) {
      throw new AppError("FORBIDDEN", "You proposed this decision; another security officer must accept it.", {
        details: { reason: "own-proposal" },
      });
    }
    await lockTeamDecisions(tx, found.teamId);
    // Read again under the lock: a concurrent accept may have committed meanwhile.
    const before = await getArchitectureDecision({ actor, id, tx });
    if (before.status !== "proposed") {
      throw new AppError("CONFLICT", `${before.reference} is already ${before.status}.`, {
        details: { currentVersion: before.version, decisionStatus: before.status },
      });
    }
    const now = new Date();
    const { count } = await tx.architectureDecision.updateMany({
      where: { id, version: expectedVersion, status: "proposed" },
      data: { status: "accepted", acceptedAt: now, acceptedById: actor.user.id, version: { increment: 1 } },
    });
    if (count === 0) {
      throw new AppError(
        "CONFLICT",
        `${before.reference} changed since you loaded it (you saw version ${expectedVersion}, it is at ${before.version}). Reload it.`,
        { details: { currentVersion: before.version } },
      );
    }

    let superseded: { id: string; number: number } | null = null;
    if (before.supersedesId) {
      const previous = await tx.architectureDecision.findUniqueOrThrow({
        where: { id: before.supersedesId },
        select: { id: true, number: true, title: true, status: true, architecture: true, version: true },
      });
      const moved = await tx.architectureDecision.updateMany({
        where: { id: previous.id, status: "accepted" },
        data: { status: "superseded", supersededAt: now, version: { increment: 1 } },
      });
      if (moved.count === 0) {
        throw new AppError(
          "CONFLICT",
          `${before.reference} revisits ${decisionReference(previous.number)}, which is no longer the accepted decision (it is ${previous.status}). Revisit the decision now in force instead.`,
        );
      }
      superseded = previous;
      await recordAuditEvent(tx, ctx, {
        action: "architecture-decision.supersede",
        target: { type: "architecture-decision", id: previous.id },
        teamId: before.teamId,
        summary: {
          before: decisionAuditView(previous),
          after: decisionAuditView({ ...previous, status: "superseded", version: previous.version + 1 }),
          supersededBy: before.reference,
        },
      });
    }

    const applicationIds = before.applications.map((a) => a.id);
    const overlapping = await findOverlappingAccepted(tx, {
      teamId: before.teamId,
      applicationIds,
      excludeIds: [id, ...(superseded ? [superseded.id] : [])],
    });
    if (overlapping.length > 0) throw overlapConflict(overlapping, applicationIds);

    const after = await tx.architectureDecision.findUniqueOrThrow({ where: { id }, include: decisionInclude });
    await recordAuditEvent(tx, ctx, {
      action: "architecture-decision.accept",
      target: { type: "architecture-decision", id },
      teamId: after.teamId,
      summary: {
        before: decisionAuditView({ ...before, number: before.number }),
        after: decisionAuditView(after),
        supersedes: superseded ? decisionReference(superseded.number) : null,
      },
    });
    return toDecisionView(after);
  });
}
