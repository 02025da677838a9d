import { createSession, SESSION_COOKIE } from "@/lib/auth/session";

/** A session cookie for a user, created the way sign-in creates it. */
export async function sessionCookieFor(userId: string): Promise<string> {
  const { token } = await createSession({ userId, ip: "203.0.113.7", userAgent: "vitest" });
  return `${SESSION_COOKIE}=${token}`;
}
