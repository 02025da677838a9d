import "server-only";
import { can, type Actor } from "@/lib/auth/actor";
import { db, type DbTransaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { membershipSource } from "@/lib/users/to-user-view";
import { readableTeams } from "./find-teams";
import { teamCounts, toTeamView } from "./to-team-view";

export async function getTeam({ actor, id, tx }: { actor: Actor; id: string; tx?: DbTransaction }) {
  const row = await (tx ?? db).team.findFirst({
    // AND, not spread: readableTeams may itself constrain `id`, which must not replace ours.
    where: { AND: [{ id }, readableTeams(actor)] },
    include: {
      ...teamCounts,
      memberships: { include: { user: { select: { email: true, name: true } } }, orderBy: { createdAt: "asc" } },
    },
  });
  if (!row) throw new AppError("NOT_FOUND", "No such team.");
  return {
    ...toTeamView(row),
    members: row.memberships.map((m) => ({ id: m.id, userId: m.userId, email: m.user.email, name: m.user.name, role: m.role, ...membershipSource(m) })),
    ...(can(actor, "teams:manage") ? { webhookUrl: row.webhookUrl } : {}),
  };
}
