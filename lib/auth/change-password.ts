import "server-only";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { clearLockout, hitLockout } from "@/lib/rate-limit/hit-lockout";
import { AppError } from "@/lib/errors/app-error";
import { requireActor, type RequestContext } from "./actor";
import { changePasswordInput, type ChangePasswordInput } from "./auth-schemas";
import { hashPassword, verifyPassword } from "./password";

/**
 * Changes the caller's password and signs out every other session of theirs; on request
 * it revokes their API tokens too. The current-password check is throttled like sign-in
 * (a stolen session must not become a way to guess the password): past
 * LOGIN_MAX_FAILURES_PER_ACCOUNT wrong answers it locks out with a doubling delay.
 */
export async function changePassword({ ctx, input }: { ctx: RequestContext; input: ChangePasswordInput }) {
  const actor = requireActor(ctx);
  if (actor.kind !== "session") throw new AppError("FORBIDDEN", "Change your password from a signed-in session, not with an API token.");
  const data = changePasswordInput.parse(input);
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.user.id } });
  if (!user.passwordHash) throw new AppError("CONFLICT", "Your account signs in through single sign-on and has no password to change.");
  const config = env();
  const lockKey = `change-password:user:${user.id}`;
  const lock = await hitLockout(lockKey, config.LOGIN_MAX_FAILURES_PER_ACCOUNT, config.LOGIN_LOCKOUT_SECONDS);
  if (lock.locked) {
    throw new AppError("RATE_LIMITED", `Too many wrong current passwords. Try again in ${lock.retryAfterSeconds} seconds.`, {
      details: { retryAfterSeconds: lock.retryAfterSeconds },
    });
  }
  if (!(await verifyPassword(data.currentPassword, user.passwordHash))) {
    throw new AppError("VALIDATION_FAILED", "The current password is incorrect.", {
      fieldErrors: [{ path: "body.currentPassword", message: "is incorrect" }],
    });
  }
  await clearLockout(lockKey);
  const passwordHash = await hashPassword(data.newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, version: { increment: 1 } } });
    await tx.session.updateMany({
      where: { userId: user.id, revokedAt: null, NOT: { id: actor.sessionId } },
      data: { revokedAt: new Date() },
    });
    const tokens = data.revokeApiTokens
      ? (await tx.apiToken.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: new Date() } })).count
      : 0;
    await recordAuditEvent(tx, ctx, { action: "user.change-password", target: { type: "user", id: user.id }, summary: { revokedApiTokens: tokens } });
  });
}
