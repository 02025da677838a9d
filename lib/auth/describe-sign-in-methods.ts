import "server-only";
import { db } from "@/lib/db/client";
import { findSsoProvider } from "./sso/sso-providers";

/** How a user signs in: with a password, through which providers (for their account page). */
export async function describeSignInMethods(userId: string) {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { passwordHash: true, ssoIdentities: { select: { provider: true, lastSignInAt: true }, orderBy: { provider: "asc" } } },
  });
  return {
    password: user.passwordHash !== null,
    providers: user.ssoIdentities.map((i) => ({
      id: i.provider,
      displayName: findSsoProvider(i.provider)?.displayName ?? i.provider,
      lastSignInAt: i.lastSignInAt,
    })),
  };
}
