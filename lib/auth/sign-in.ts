import "server-only";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { hitRateLimit, peekRateLimit, resetRateLimit } from "@/lib/rate-limit/hit-rate-limit";
import type { RequestContext } from "./actor";
import { loginInput, type LoginInput } from "./auth-schemas";
import { dummyPasswordHash, verifyPassword } from "./password";
import { createSession } from "./session";

/**
 * Email + password sign-in. Failed attempts are counted per account and per client IP
 * in PostgreSQL (shared by all replicas); past the limit the attempt is refused before
 * the password is even checked, so guessing cannot continue at full speed.
 */
export async function signIn({ ctx, input }: { ctx: RequestContext; input: LoginInput }) {
  const { email, password } = loginInput.parse(input);
  const config = env();
  const windowSeconds = config.LOGIN_THROTTLE_WINDOW_MINUTES * 60;
  const accountKey = `login:account:${email}`;
  const ipKey = `login:ip:${ctx.ip ?? "unknown"}`;
  const audit = { ...ctx, anonymousLabel: email };

  const [account, ip] = await Promise.all([
    peekRateLimit(accountKey, config.LOGIN_MAX_FAILURES_PER_ACCOUNT, windowSeconds),
    peekRateLimit(ipKey, config.LOGIN_MAX_FAILURES_PER_IP, windowSeconds),
  ]);
  const blocked = [
    account.count >= config.LOGIN_MAX_FAILURES_PER_ACCOUNT ? account : null,
    ip.count >= config.LOGIN_MAX_FAILURES_PER_IP ? ip : null,
  ].filter((r) => r !== null);
  if (blocked.length > 0) {
    const retryAfterSeconds = Math.max(...blocked.map((r) => r.retryAfterSeconds));
    await db.$transaction((tx) =>
      recordAuditEvent(tx, audit, { action: "auth.login", outcome: "denied", target: { type: "user" }, summary: { reason: "throttled" } }),
    );
    throw new AppError("RATE_LIMITED", `Too many failed sign-ins. Try again in ${retryAfterSeconds} seconds.`, {
      details: { retryAfterSeconds },
    });
  }

  const user = await db.user.findUnique({ where: { email } });
  // Verify against a dummy hash for unknown emails so timing does not reveal which exist.
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !valid || user.disabledAt) {
    await Promise.all([
      hitRateLimit(accountKey, config.LOGIN_MAX_FAILURES_PER_ACCOUNT, windowSeconds),
      hitRateLimit(ipKey, config.LOGIN_MAX_FAILURES_PER_IP, windowSeconds),
    ]);
    await db.$transaction((tx) =>
      recordAuditEvent(tx, audit, {
        action: "auth.login",
        outcome: "failure",
        target: { type: "user", id: user?.id },
        summary: { reason: user?.disabledAt ? "disabled" : "invalid credentials" },
      }),
    );
    throw new AppError("UNAUTHENTICATED", "Email or password is incorrect.");
  }

  // Single-sign-on-only mode: the right password opens only the break-glass account. Checked
  // after the password, so the answer does not tell strangers which address that is.
  const breakGlass = user.email === config.sso.breakGlassEmail;
  if (config.sso.ssoOnly && !breakGlass) {
    await db.$transaction((tx) =>
      recordAuditEvent(tx, audit, { action: "auth.login", outcome: "denied", target: { type: "user", id: user.id }, summary: { reason: "sso-only" } }),
    );
    throw new AppError("FORBIDDEN", "Password sign-in is switched off: sign in with single sign-on.", { details: { reason: "sso-only" } });
  }

  await resetRateLimit(accountKey);
  const { token, session } = await createSession({ userId: user.id, ip: ctx.ip, userAgent: ctx.userAgent ?? null });
  await db.$transaction((tx) =>
    recordAuditEvent(
      tx,
      { ...ctx, actor: null, anonymousLabel: user.email },
      { action: "auth.login", target: { type: "session", id: session.id }, summary: breakGlass ? { breakGlass: true } : {} },
    ),
  );
  return { token, session, userId: user.id };
}
