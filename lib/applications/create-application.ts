import "server-only";
import { requireTeamPermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { AppError } from "@/lib/errors/app-error";
import { createApplicationInput, type CreateApplicationInput } from "./application-schemas";
import { applicationInclude } from "./find-applications";
import { auditView } from "./application-audit-view";

export async function createApplication({ ctx, input }: { ctx: RequestContext; input: CreateApplicationInput }) {
  const data = createApplicationInput.parse(input);
  // The team comes from the request but the permission is checked against it here:
  // a project lead can only register applications for teams they lead.
  requireTeamPermission(ctx, "applications:create", data.teamId);
  try {
    return await db.$transaction(async (tx) => {
      const application = await tx.application.create({ data, include: applicationInclude });
      await recordAuditEvent(tx, ctx, {
        action: "application.create",
        target: { type: "application", id: application.id },
        teamId: application.teamId,
        summary: { after: auditView(application) },
      });
      return application;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `An application with slug "${data.slug}" already exists.`, {
        fieldErrors: [{ path: "body.slug", message: "is already taken" }],
      });
    }
    throw error;
  }
}
