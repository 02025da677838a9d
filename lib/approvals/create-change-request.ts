import "server-only";
import { canForTeam, requireActor, type RequestContext } from "@/lib/auth/actor";
import { getApplication } from "@/lib/applications/get-application";
import { getEffectiveArchitectureForApplication } from "@/lib/architecture/get-effective-architecture";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { createNotifications, usersWithRole } from "@/lib/notifications/create-notifications";
import type { z } from "zod";
import { changeRequestSelect } from "./change-request-records";
import type { createChangeRequestInput } from "./change-request-schemas";

/**
 * A project team asks the security team for a policy change. Only where the accepted
 * architecture decision is C: elsewhere the team edits its policy itself and submits a
 * draft, and a request would bypass the review of an actual version.
 */
export async function createChangeRequest({
  ctx,
  applicationId,
  input,
}: {
  ctx: RequestContext;
  applicationId: string;
  input: z.output<typeof createChangeRequestInput>;
}) {
  const actor = requireActor(ctx);
  return db.$transaction(async (tx) => {
    const application = await getApplication({ actor, id: applicationId, tx });
    if (!canForTeam(actor, "policies:request-change", application.teamId)) {
      throw new AppError("FORBIDDEN", "Only the application's team asks for changes to its policy.", { details: { permission: "policies:request-change" } });
    }
    if (application.archivedAt) throw new AppError("CONFLICT", "The application is archived.");
    const architecture = await getEffectiveArchitectureForApplication({ application, tx });
    if (architecture.architecture !== "C") {
      throw new AppError("CONFLICT", "This application's team edits its policy itself (its architecture is not C): start a draft and submit it instead.", {
        details: { rule: "architecture-c-only" },
      });
    }
    const created = await tx.policyChangeRequest.create({
      data: { applicationId, title: input.title, rationale: input.rationale, proposedContent: input.proposedContent ?? null, authorId: actor.user.id },
      select: changeRequestSelect,
    });
    await recordAuditEvent(tx, ctx, {
      action: "policy.change-request.create",
      target: { type: "policy-change-request", id: created.id },
      teamId: application.teamId,
      summary: { applicationId, title: input.title },
    });
    const officers = (await usersWithRole(tx, "security-officer")).filter((id) => id !== actor.user.id);
    await createNotifications(
      tx,
      officers.map((userId) => ({
        userId,
        kind: "policy.change-request.create",
        title: `${actor.user.name} asks for a policy change to ${application.name}: ${input.title}`,
        link: `/approvals?changeRequest=${created.id}`,
      })),
    );
    return created;
  });
}
