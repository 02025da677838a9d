import "server-only";
import type { RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { DbTransaction } from "@/lib/db/client";
import { effectiveGroupMappings } from "./effective-group-mappings";

export type MembershipChange = { teamId: string; role: string; group: string | null };

/**
 * Makes a user's memberships from one provider exactly what its group mappings give for
 * `groups`: adds what is missing, removes what no group gives any more. Memberships an
 * administrator gave (source "manual") and those from other providers are left alone;
 * one the user already holds manually is not duplicated. Every change is audited.
 * Runs at each sign-in (with the groups just received) and after each mapping change
 * (with each identity's groups as of its last sign-in).
 */
export async function syncIdpMemberships(
  tx: DbTransaction,
  { ctx, userId, userEmail, providerId, groups }: { ctx: RequestContext; userId: string; userEmail: string; providerId: string; groups: readonly string[] },
): Promise<{ added: MembershipChange[]; removed: MembershipChange[] }> {
  // Two sign-ins of one user at once must not both add the same membership.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`rampart:sso-sync:${userId}`}))`;
  const held = new Set(groups);
  const desired = new Map<string, MembershipChange>();
  for (const mapping of await effectiveGroupMappings(tx, providerId)) {
    if (!mapping.teamId || !held.has(mapping.group)) continue;
    const key = `${mapping.teamId}:${mapping.role}`;
    if (!desired.has(key)) desired.set(key, { teamId: mapping.teamId, role: mapping.role, group: mapping.group });
  }
  const current = await tx.membership.findMany({ where: { userId } });
  const currentKeys = new Set(current.map((m) => `${m.teamId}:${m.role}`));

  const removed: MembershipChange[] = [];
  for (const m of current) {
    if (m.source !== "idp" || m.provider !== providerId || desired.has(`${m.teamId}:${m.role}`)) continue;
    await tx.membership.delete({ where: { id: m.id } });
    removed.push({ teamId: m.teamId, role: m.role, group: m.idpGroup });
    await recordAuditEvent(tx, ctx, {
      action: "membership.remove",
      target: { type: "membership", id: m.id },
      teamId: m.teamId,
      summary: { before: { user: userEmail, role: m.role }, source: "idp", provider: providerId, group: m.idpGroup },
    });
  }
  const added: MembershipChange[] = [];
  for (const [key, change] of desired) {
    if (currentKeys.has(key)) continue;
    const membership = await tx.membership.create({
      data: { userId, teamId: change.teamId, role: change.role, source: "idp", provider: providerId, idpGroup: change.group },
    });
    added.push(change);
    await recordAuditEvent(tx, ctx, {
      action: "membership.add",
      target: { type: "membership", id: membership.id },
      teamId: change.teamId,
      summary: { after: { user: userEmail, role: change.role }, source: "idp", provider: providerId, group: change.group },
    });
  }
  return { added, removed };
}

/**
 * After a mapping change: re-applies the provider's mappings to everyone who signed in
 * through it, with their groups as of their last sign-in, so a removed mapping takes its
 * roles away now rather than at each person's next sign-in.
 */
export async function resyncProviderMemberships(tx: DbTransaction, { ctx, providerId }: { ctx: RequestContext; providerId: string }) {
  const identities = await tx.ssoIdentity.findMany({ where: { provider: providerId }, include: { user: { select: { email: true } } } });
  let added = 0;
  let removed = 0;
  for (const identity of identities) {
    const changes = await syncIdpMemberships(tx, { ctx, userId: identity.userId, userEmail: identity.user.email, providerId, groups: identity.groups });
    added += changes.added.length;
    removed += changes.removed.length;
  }
  return { membershipsAdded: added, membershipsRemoved: removed };
}
