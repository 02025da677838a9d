// The team pickers of the portal's filters and forms (findTeamChoices): the teams the
// actor may read, by name, and nothing else about them.
import { expect, it } from "vitest";
import { actorFromSessionToken } from "@/lib/auth/authenticate-request";
import { db } from "@/lib/db/client";
import { findTeamChoices } from "@/lib/teams/find-teams";
import { createTeam, createUser } from "@/prisma/factories";
import { sessionCookieFor } from "../../helpers/sign-in-as";

async function actorOf(userId: string) {
  const token = (await sessionCookieFor(userId)).split("=")[1]!;
  return (await actorFromSessionToken(token))!;
}

it("lists the teams the actor may read, by name: every team for an organisation-wide reader, their own for a developer", async () => {
  const zeta = await createTeam(db, { slug: "zeta", name: "Zeta" });
  const alpha = await createTeam(db, { slug: "alpha", name: "Alpha" });
  const officer = await createUser(db, { name: "Officer", memberships: [{ teamId: zeta.id, role: "security-officer" }] });
  const developer = await createUser(db, { name: "Developer", memberships: [{ teamId: zeta.id, role: "developer" }] });

  expect(await findTeamChoices({ actor: await actorOf(officer.id) })).toEqual([
    { id: alpha.id, slug: "alpha", name: "Alpha" },
    { id: zeta.id, slug: "zeta", name: "Zeta" },
  ]);
  expect(await findTeamChoices({ actor: await actorOf(developer.id) })).toEqual([{ id: zeta.id, slug: "zeta", name: "Zeta" }]);
  expect(await findTeamChoices({ actor: await actorOf(officer.id), take: 1 })).toEqual([{ id: alpha.id, slug: "alpha", name: "Alpha" }]);
});
