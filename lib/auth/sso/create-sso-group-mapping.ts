import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { AppError } from "@/lib/errors/app-error";
import { toSsoGroupMappingView } from "./get-sso-configuration";
import { createSsoGroupMappingInput, type CreateSsoGroupMappingInput } from "./sso-schemas";
import { findSsoProvider } from "./sso-providers";
import { resyncProviderMemberships } from "./sync-idp-memberships";

/** Maps a provider's group to a role in a team, and applies it at once to everyone already signed in through the provider. */
export async function createSsoGroupMapping({ ctx, input }: { ctx: RequestContext; input: CreateSsoGroupMappingInput }) {
  const actor = requirePermission(ctx, "sso:manage");
  const data = createSsoGroupMappingInput.parse(input);
  if (!findSsoProvider(data.provider)) {
    throw new AppError("VALIDATION_FAILED", "No single sign-on provider is configured with that id.", {
      fieldErrors: [{ path: "body.provider", message: "is not a configured provider" }],
    });
  }
  try {
    return await db.$transaction(async (tx) => {
      const team = await tx.team.findUnique({ where: { id: data.teamId }, select: { id: true, slug: true, name: true } });
      if (!team) {
        throw new AppError("VALIDATION_FAILED", "No such team.", { fieldErrors: [{ path: "body.teamId", message: "is not a team" }] });
      }
      const row = await tx.ssoGroupMapping.create({
        data: { provider: data.provider, group: data.group, teamId: team.id, role: data.role, createdById: actor.user.id },
      });
      await recordAuditEvent(tx, ctx, {
        action: "sso.mapping.create",
        target: { type: "sso-group-mapping", id: row.id },
        teamId: team.id,
        summary: { after: { provider: row.provider, group: row.group, team: team.slug, role: row.role } },
      });
      const applied = await resyncProviderMemberships(tx, { ctx, providerId: row.provider });
      const mapping = toSsoGroupMappingView({
        id: row.id,
        provider: row.provider,
        group: row.group,
        teamSlug: team.slug,
        teamId: team.id,
        teamName: team.name,
        role: row.role,
        source: "portal",
        createdAt: row.createdAt,
        createdBy: actor.user.email,
      });
      return { mapping, ...applied };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", "That group already maps to that role in that team.");
    throw error;
  }
}
