import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { hashPassword } from "@/lib/auth/password";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { AppError } from "@/lib/errors/app-error";
import { createUserInput, type CreateUserInput } from "./user-schemas";
import { toUserView, userInclude } from "./to-user-view";

export async function createUser({ ctx, input }: { ctx: RequestContext; input: CreateUserInput }) {
  requirePermission(ctx, "users:manage");
  const data = createUserInput.parse(input);
  const passwordHash = await hashPassword(data.password);
  try {
    return await db.$transaction(async (tx) => {
      const teamIds = [...new Set(data.memberships.map((m) => m.teamId))];
      const found = await tx.team.count({ where: { id: { in: teamIds } } });
      if (found !== teamIds.length) {
        throw new AppError("VALIDATION_FAILED", "A membership names a team that does not exist.", {
          fieldErrors: [{ path: "body.memberships", message: "names an unknown team" }],
        });
      }
      const user = await tx.user.create({
        data: {
          email: data.email,
          name: data.name,
          passwordHash,
          memberships: { create: data.memberships.map((m) => ({ teamId: m.teamId, role: m.role })) },
        },
        include: userInclude,
      });
      const view = toUserView(user);
      await recordAuditEvent(tx, ctx, {
        action: "user.create",
        target: { type: "user", id: user.id },
        summary: { after: { email: view.email, name: view.name, memberships: view.memberships } },
      });
      return view;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `A user with email ${data.email} already exists.`, {
        fieldErrors: [{ path: "body.email", message: "is already registered" }],
      });
    }
    throw error;
  }
}
