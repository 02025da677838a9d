import "server-only";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { requireActor, type RequestContext } from "./actor";
import { changePasswordInput, type ChangePasswordInput } from "./auth-schemas";
import { hashPassword, verifyPassword } from "./password";

/** Changes the caller's password and signs out every other session of theirs. */
export async function changePassword({ ctx, input }: { ctx: RequestContext; input: ChangePasswordInput }) {
  const actor = requireActor(ctx);
  if (actor.kind !== "session") throw new AppError("FORBIDDEN", "Change your password from a signed-in session, not with an API token.");
  const data = changePasswordInput.parse(input);
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.user.id } });
  if (!user.passwordHash) throw new AppError("CONFLICT", "Your account signs in through single sign-on and has no password to change.");
  if (!(await verifyPassword(data.currentPassword, user.passwordHash))) {
    throw new AppError("VALIDATION_FAILED", "The current password is incorrect.", {
      fieldErrors: [{ path: "body.currentPassword", message: "is incorrect" }],
    });
  }
  const passwordHash = await hashPassword(data.newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, version: { increment: 1 } } });
    await tx.session.updateMany({
      where: { userId: user.id, revokedAt: null, NOT: { id: actor.sessionId } },
      data: { revokedAt: new Date() },
    });
    await recordAuditEvent(tx, ctx, { action: "user.change-password", target: { type: "user", id: user.id } });
  });
}
