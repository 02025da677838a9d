import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { canAny, canInTeam, grantOf, grantsFor, intersectGrants, type Grants, type Permission } from "./permissions";

/** Who is calling: a signed-in user (session) or an API token acting for its creator. */
export type Actor = {
  kind: "session" | "token";
  user: { id: string; email: string; name: string };
  memberships: { teamId: string; teamSlug: string; teamName: string; role: string }[];
  /** For tokens: the role the token is scoped to. */
  tokenRole?: string;
  sessionId?: string;
  tokenId?: string;
  grants: Grants;
};

/** Everything domain code needs to authorize and audit an action. */
export type RequestContext = {
  actor: Actor | null;
  ip: string | null;
  userAgent?: string | null;
  /** Audit label for unauthenticated actions, e.g. the email of a failed login. */
  anonymousLabel?: string;
};

export async function loadActor(
  userId: string,
  via: { kind: "session"; sessionId: string } | { kind: "token"; tokenId: string; tokenRole: string },
): Promise<Actor | null> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      disabledAt: true,
      memberships: { select: { teamId: true, role: true, team: { select: { slug: true, name: true } } } },
    },
  });
  if (!user || user.disabledAt) return null;
  const memberships = user.memberships.map((m) => ({
    teamId: m.teamId,
    teamSlug: m.team.slug,
    teamName: m.team.name,
    role: m.role,
  }));
  return foldActor({ id: user.id, email: user.email, name: user.name }, memberships, via);
}

/** The Actor of a user with these memberships, signed in through `via`: their grants folded once. */
export function foldActor(
  user: Actor["user"],
  memberships: Actor["memberships"],
  via: { kind: "session"; sessionId: string } | { kind: "token"; tokenId: string; tokenRole: string },
): Actor {
  let grants = grantsFor(memberships);
  if (via.kind === "token") {
    // The token's role, applied to the creator's teams, intersected with what the
    // creator holds today: demoting a user immediately narrows their tokens too.
    const asTokenRole = memberships.map((m) => ({ teamId: m.teamId, role: via.tokenRole }));
    grants = intersectGrants(grants, grantsFor(asTokenRole));
  }
  return {
    kind: via.kind,
    user,
    memberships,
    tokenRole: via.kind === "token" ? via.tokenRole : undefined,
    sessionId: via.kind === "session" ? via.sessionId : undefined,
    tokenId: via.kind === "token" ? via.tokenId : undefined,
    grants,
  };
}

export function can(actor: Actor | null, permission: Permission): boolean {
  return !!actor && canAny(actor.grants, permission);
}

export function canForTeam(actor: Actor | null, permission: Permission, teamId: string): boolean {
  return !!actor && canInTeam(actor.grants, permission, teamId);
}

export function requireActor(ctx: RequestContext): Actor {
  if (!ctx.actor) throw new AppError("UNAUTHENTICATED", "Sign in or send an API token.");
  return ctx.actor;
}

export function requirePermission(ctx: RequestContext, permission: Permission): Actor {
  const actor = requireActor(ctx);
  if (!canAny(actor.grants, permission)) {
    throw new AppError("FORBIDDEN", `Your role does not allow ${permission}.`, { details: { permission } });
  }
  return actor;
}

export function requireTeamPermission(ctx: RequestContext, permission: Permission, teamId: string): Actor {
  const actor = requireActor(ctx);
  if (!canInTeam(actor.grants, permission, teamId)) {
    throw new AppError("FORBIDDEN", `Your role does not allow ${permission} for this team.`, {
      details: { permission, teamId },
    });
  }
  return actor;
}

/**
 * A Prisma `where` fragment limiting rows to the teams the actor holds `permission` in.
 * Queries use it so that what the caller may not see is simply not found.
 */
export function teamScope(actor: Actor, permission: Permission): { teamId?: { in: string[] } } {
  const grant = grantOf(actor.grants, permission);
  if (grant.org) return {};
  return { teamId: { in: [...grant.teamIds] } };
}
