import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { AppError } from "@/lib/errors/app-error";
import { createTeamInput, type CreateTeamInput } from "./team-schemas";
import { teamCounts, toTeamView } from "./to-team-view";

export async function createTeam({ ctx, input }: { ctx: RequestContext; input: CreateTeamInput }) {
  requirePermission(ctx, "teams:manage");
  const data = createTeamInput.parse(input);
  try {
    return await db.$transaction(async (tx) => {
      const team = await tx.team.create({ data, include: teamCounts });
      await recordAuditEvent(tx, ctx, {
        action: "team.create",
        target: { type: "team", id: team.id },
        teamId: team.id,
        summary: { after: data },
      });
      return toTeamView(team);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `A team with slug "${data.slug}" already exists.`, {
        fieldErrors: [{ path: "body.slug", message: "is already taken" }],
      });
    }
    throw error;
  }
}
