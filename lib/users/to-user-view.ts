import type { UserView } from "./user-schemas";

export type MembershipSourceRow = { source: string; provider: string | null; idpGroup: string | null };

/** Where a membership came from, for views; anything but "idp" is an administrator's. */
export function membershipSource(m: MembershipSourceRow) {
  return { source: m.source === "idp" ? ("idp" as const) : ("manual" as const), provider: m.provider, idpGroup: m.idpGroup };
}

export const userInclude = {
  memberships: { include: { team: { select: { slug: true, name: true } } }, orderBy: { createdAt: "asc" } },
} as const;

type UserRow = {
  id: string;
  email: string;
  name: string;
  disabledAt: Date | null;
  createdAt: Date;
  version: number;
  memberships: ({ id: string; teamId: string; role: string; team: { slug: string; name: string } } & MembershipSourceRow)[];
};

/** The public shape of a user: never the password hash. */
export function toUserView(u: UserRow): UserView {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    disabled: u.disabledAt !== null,
    createdAt: u.createdAt.toISOString(),
    version: u.version,
    memberships: u.memberships.map((m) => ({
      id: m.id,
      teamId: m.teamId,
      teamSlug: m.team.slug,
      teamName: m.team.name,
      role: m.role,
      ...membershipSource(m),
    })),
  };
}
