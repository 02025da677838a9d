import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { AppError } from "@/lib/errors/app-error";
import { addMembershipInput, type AddMembershipInput } from "./team-schemas";
import { getTeam } from "./get-team";

export async function addMembership({ ctx, teamId, input }: { ctx: RequestContext; teamId: string; input: AddMembershipInput }) {
  const actor = requirePermission(ctx, "memberships:manage");
  const data = addMembershipInput.parse(input);
  try {
    return await db.$transaction(async (tx) => {
      await getTeam({ actor, id: teamId, tx });
      const user = await tx.user.findUnique({ where: { id: data.userId }, select: { id: true, email: true } });
      if (!user) {
        throw new AppError("VALIDATION_FAILED", "No such user.", { fieldErrors: [{ path: "body.userId", message: "is not a user" }] });
      }
      const membership = await tx.membership.create({ data: { teamId, userId: data.userId, role: data.role } });
      await recordAuditEvent(tx, ctx, {
        action: "membership.add",
        target: { type: "membership", id: membership.id },
        teamId,
        summary: { after: { user: user.email, role: data.role } },
      });
      return getTeam({ actor, id: teamId, tx });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", "The user already has that role in this team.");
    throw error;
  }
}
