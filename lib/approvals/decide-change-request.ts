import "server-only";
import { canForTeam, requireActor, teamScope, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { createNotifications } from "@/lib/notifications/create-notifications";
import type { z } from "zod";
import { changeRequestSelect } from "./change-request-records";
import type { decideChangeRequestInput } from "./change-request-schemas";

/**
 * A security officer accepts a change request — naming the version of the application's
 * policy it became — or declines it, with a note either way; If-Match guards against two
 * officers deciding at once. The requester is told.
 */
export async function decideChangeRequest({
  ctx,
  requestId,
  expectedVersion,
  input,
}: {
  ctx: RequestContext;
  requestId: string;
  expectedVersion: number;
  input: z.output<typeof decideChangeRequestInput>;
}) {
  const actor = requireActor(ctx);
  return db.$transaction(async (tx) => {
    const request = await tx.policyChangeRequest.findFirst({
      where: { id: requestId, application: teamScope(actor, "policies:read") },
      select: changeRequestSelect,
    });
    if (!request) throw new AppError("NOT_FOUND", "No such change request.");
    if (!canForTeam(actor, "policies:review", request.application.teamId)) {
      throw new AppError("FORBIDDEN", "Security officers decide change requests.", { details: { permission: "policies:review" } });
    }
    if (request.status !== "open") {
      throw new AppError("CONFLICT", `The change request is already ${request.status}.`, {
        details: { state: request.status, currentVersion: request.version },
      });
    }
    if (input.versionId) {
      if (input.decision !== "accept")
        throw new AppError("VALIDATION_FAILED", "Only an accepted request names a version.", {
          fieldErrors: [{ path: "body.versionId", message: "only with decision accept" }],
        });
      const version = await tx.policyVersion.findFirst({
        where: { id: input.versionId, policy: { applicationId: request.application.id } },
        select: { id: true },
      });
      if (!version)
        throw new AppError("VALIDATION_FAILED", "The version is not one of this application's policy.", {
          fieldErrors: [{ path: "body.versionId", message: "must be a version of this application's policy" }],
        });
    }
    const { count } = await tx.policyChangeRequest.updateMany({
      where: { id: requestId, version: expectedVersion, status: "open" },
      data: {
        status: input.decision === "accept" ? "accepted" : "declined",
        decidedById: actor.user.id,
        decidedAt: new Date(),
        decisionNote: input.note,
        versionId: input.versionId ?? null,
        version: { increment: 1 },
      },
    });
    if (count === 0) {
      const current = await tx.policyChangeRequest.findUniqueOrThrow({ where: { id: requestId }, select: { version: true, status: true } });
      throw new AppError("CONFLICT", `Someone else changed the change request since you loaded it (it is now ${current.status}). Reload it.`, {
        details: { currentVersion: current.version, state: current.status },
      });
    }
    const after = await tx.policyChangeRequest.findUniqueOrThrow({ where: { id: requestId }, select: changeRequestSelect });
    await recordAuditEvent(tx, ctx, {
      action: `policy.change-request.${input.decision}`,
      target: { type: "policy-change-request", id: requestId },
      teamId: request.application.teamId,
      summary: { note: input.note, ...(input.versionId ? { versionId: input.versionId } : {}) },
    });
    if (request.author.id !== actor.user.id) {
      await createNotifications(tx, [
        {
          userId: request.author.id,
          kind: `policy.change-request.${input.decision}`,
          title: `${actor.user.name} ${input.decision === "accept" ? "accepted" : "declined"} your change request: ${request.title}`,
          body: input.note,
          link: `/applications/${request.application.id}`,
        },
      ]);
    }
    return after;
  });
}
