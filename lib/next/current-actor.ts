import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { env } from "@/lib/env";
import { can, type Actor, type RequestContext } from "@/lib/auth/actor";
import { actorFromSessionToken } from "@/lib/auth/authenticate-request";
import { clientIp } from "@/lib/auth/client-ip";
import type { Permission } from "@/lib/auth/permissions";
import { SESSION_COOKIE } from "@/lib/auth/session";

// Next.js page glue (lib/next/), kept out of lib/auth so the domain never imports Next.
// For server components and server actions: the signed-in user from the session cookie.
// cache() makes it one lookup per request however many components ask.
export const currentActor = cache(async (): Promise<Actor | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return token ? actorFromSessionToken(token) : null;
});

/** The signed-in actor, or a redirect to the sign-in page. */
export async function requireSignedIn(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in");
  return actor;
}

/** Pages call this; a caller without the permission gets app/forbidden.tsx with status 403. */
export async function requirePagePermission(permission: Permission): Promise<Actor> {
  const actor = await requireSignedIn();
  if (!can(actor, permission)) forbidden();
  return actor;
}

/** A RequestContext for server actions, so they audit and authorize like the API. */
export async function currentRequestContext(): Promise<RequestContext> {
  const h = await headers();
  return { actor: await currentActor(), ip: clientIp(h, env().TRUSTED_PROXY_HOPS), userAgent: h.get("user-agent") };
}
