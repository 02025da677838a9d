import "server-only";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import { clearLockout, hitLockout } from "@/lib/rate-limit/hit-lockout";
import { hitRateLimit, releaseRateLimit } from "@/lib/rate-limit/hit-rate-limit";
import type { RequestContext } from "./actor";
import { loginInput, type LoginInput } from "./auth-schemas";
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from "./password";
import { createSession } from "./session";

const KNOWN_ADDRESS_DAYS = 90;

/**
 * Email + password sign-in, throttled in PostgreSQL (shared by all replicas). Every
 * attempt is counted *before* the password is checked, each count one atomic statement,
 * so parallel guesses cannot all slip in between a check and a count:
 * - per email and client address: past LOGIN_MAX_FAILURES_PER_ACCOUNT the pair is locked
 *   out with a delay that doubles each time (lib/rate-limit/hit-lockout.ts) — someone
 *   guessing elsewhere does not lock the owner out at their desk;
 * - per client address across emails (LOGIN_MAX_FAILURES_PER_IP): password spraying;
 * - per email from addresses it never signed in from (LOGIN_MAX_FAILURES_PER_EMAIL):
 *   guessing spread over many addresses stays bounded.
 * Emails are throttled whether or not an account exists, so throttling tells nothing.
 * A success takes its count back.
 */
export async function signIn({ ctx, input }: { ctx: RequestContext; input: LoginInput }) {
  const { email, password } = loginInput.parse(input);
  const config = env();
  const windowSeconds = config.LOGIN_THROTTLE_WINDOW_MINUTES * 60;
  const address = ctx.ip ?? "unknown";
  const pairKey = `login:account-ip:${email}|${address}`;
  const ipKey = `login:ip:${address}`;
  const emailKey = `login:email:${email}`;
  const audit = { ...ctx, anonymousLabel: email };

  const refuse = async (retryAfterSeconds: number): Promise<never> => {
    await db.$transaction((tx) =>
      recordAuditEvent(tx, audit, { action: "auth.login", outcome: "denied", target: { type: "user" }, summary: { reason: "throttled" } }),
    );
    throw new AppError("RATE_LIMITED", `Too many failed sign-ins. Try again in ${retryAfterSeconds} seconds.`, {
      details: { retryAfterSeconds },
    });
  };

  const ip = await hitRateLimit(ipKey, config.LOGIN_MAX_FAILURES_PER_IP, windowSeconds);
  if (ip.limited) return refuse(ip.retryAfterSeconds);
  const pair = await hitLockout(pairKey, config.LOGIN_MAX_FAILURES_PER_ACCOUNT, config.LOGIN_LOCKOUT_SECONDS);
  if (pair.locked) {
    await releaseRateLimit(ipKey);
    return refuse(pair.retryAfterSeconds);
  }
  const knownAddress = await isKnownAddress(email, ctx.ip);
  if (!knownAddress) {
    const perEmail = await hitRateLimit(emailKey, config.LOGIN_MAX_FAILURES_PER_EMAIL, windowSeconds);
    if (perEmail.limited) return refuse(perEmail.retryAfterSeconds);
  }

  const user = await db.user.findUnique({ where: { email } });
  // Verify against a dummy hash for unknown emails so timing does not reveal which exist.
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !valid || user.disabledAt) {
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
  // Hashed with weaker parameters than today's: rehashed now that the password is at hand.
  if (user.passwordHash && needsRehash(user.passwordHash)) {
    const passwordHash = await hashPassword(password);
    await db.user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash } });
  }
  // The right password: not a failure after all.
  await Promise.all([clearLockout(pairKey), releaseRateLimit(ipKey), knownAddress ? null : releaseRateLimit(emailKey)]);

  // Single-sign-on-only mode: the right password opens only the break-glass account. Checked
  // after the password, so the answer does not tell strangers which address that is.
  const breakGlass = user.email === config.sso.breakGlassEmail;
  if (config.sso.ssoOnly && !breakGlass) {
    await db.$transaction((tx) =>
      recordAuditEvent(tx, audit, { action: "auth.login", outcome: "denied", target: { type: "user", id: user.id }, summary: { reason: "sso-only" } }),
    );
    throw new AppError("FORBIDDEN", "Password sign-in is switched off: sign in with single sign-on.", { details: { reason: "sso-only" } });
  }

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

/** Whether the account signed in from this address lately (its owner, most likely). */
async function isKnownAddress(email: string, ip: string | null): Promise<boolean> {
  if (!ip) return false;
  const since = new Date(Date.now() - KNOWN_ADDRESS_DAYS * 24 * 60 * 60 * 1000);
  return (await db.session.count({ where: { ip, createdAt: { gte: since }, user: { email } }, take: 1 })) > 0;
}
