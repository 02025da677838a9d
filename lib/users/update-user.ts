import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { updateUserInput, type UpdateUserInput } from "./user-schemas";
import { getUser } from "./get-user";
import { versionConflict } from "@/lib/errors/version-conflict";

/**
 * Renames, disables/enables a user or resets their password. Disabling and a reset revoke
 * their sessions and API tokens at once: whoever knew the old password may have made them.
 */
export async function updateUser({ ctx, id, expectedVersion, input }: { ctx: RequestContext; id: string; expectedVersion: number; input: UpdateUserInput }) {
  const actor = requirePermission(ctx, "users:manage");
  const patch = updateUserInput.parse(input);
  if (patch.disabled === true && id === actor.user.id) {
    throw new AppError("CONFLICT", "You cannot disable your own account.");
  }
  const passwordHash = patch.password !== undefined ? await hashPassword(patch.password) : undefined;
  return db.$transaction(async (tx) => {
    const before = await getUser({ id, tx });
    const now = new Date();
    const { count } = await tx.user.updateMany({
      where: { id, version: expectedVersion },
      data: {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.disabled !== undefined ? { disabledAt: patch.disabled ? (before.row.disabledAt ?? now) : null } : {}),
        ...(passwordHash !== undefined ? { passwordHash } : {}),
        version: { increment: 1 },
      },
    });
    if (count === 0) {
      const { version } = await tx.user.findUniqueOrThrow({ where: { id }, select: { version: true } });
      throw versionConflict(expectedVersion, version);
    }
    if (patch.disabled === true || passwordHash !== undefined) {
      await tx.session.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: now } });
      await tx.apiToken.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: now } });
    }
    const after = await getUser({ id, tx });
    await recordAuditEvent(tx, ctx, {
      action:
        patch.disabled === true
          ? "user.disable"
          : patch.disabled === false
            ? "user.enable"
            : passwordHash !== undefined
              ? "user.reset-password"
              : "user.update",
      target: { type: "user", id },
      summary: {
        before: { name: before.view.name, disabled: before.view.disabled },
        after: { name: after.view.name, disabled: after.view.disabled },
        ...(passwordHash !== undefined ? { passwordReset: true } : {}),
      },
    });
    return after.view;
  });
}
