import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { updateTeamInput, type UpdateTeamInput } from "./team-schemas";
import { getTeam } from "./get-team";
import { versionConflict } from "@/lib/errors/version-conflict";

export async function updateTeam({ ctx, id, expectedVersion, input }: { ctx: RequestContext; id: string; expectedVersion: number; input: UpdateTeamInput }) {
  const actor = requirePermission(ctx, "teams:manage");
  const patch = updateTeamInput.parse(input);
  return db.$transaction(async (tx) => {
    const before = await getTeam({ actor, id, tx });
    const { count } = await tx.team.updateMany({
      where: { id, version: expectedVersion },
      data: { ...patch, version: { increment: 1 } },
    });
    if (count === 0) {
      const { version } = await tx.team.findUniqueOrThrow({ where: { id }, select: { version: true } });
      throw versionConflict(expectedVersion, version);
    }
    const after = await getTeam({ actor, id, tx });
    await recordAuditEvent(tx, ctx, {
      action: "team.update",
      target: { type: "team", id },
      teamId: id,
      summary: {
        before: { name: before.name, description: before.description, webhook: webhookOrigin(before.webhookUrl) },
        after: { name: after.name, description: after.description, webhook: webhookOrigin(after.webhookUrl) },
      },
    });
    return after;
  });
}

/** What the audit trail records of a webhook URL: where notices go, not the path (it may hold the receiver's secret). */
function webhookOrigin(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return "(unparsable)";
  }
}
