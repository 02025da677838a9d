import "server-only";
import type { DbTransaction } from "@/lib/db/client";
import { ssoProviders } from "./sso-providers";

export type EffectiveGroupMapping = {
  /** The stored mapping's id; null for one from the environment. */
  id: string | null;
  provider: string;
  group: string;
  teamSlug: string;
  /** Null when the environment names a team that does not exist: such a mapping grants nothing. */
  teamId: string | null;
  teamName: string | null;
  role: string;
  source: "environment" | "portal";
  createdAt: Date | null;
  createdBy: string | null;
};

/**
 * Every group mapping in force: the environment's (RAMPART_OIDC_<ID>_GROUP_MAPPINGS, for
 * bootstrapping; changed only by changing the environment) and the administrators'.
 * Mappings of providers no longer configured are left out: they cannot apply.
 */
export async function effectiveGroupMappings(tx: DbTransaction, providerId?: string): Promise<EffectiveGroupMapping[]> {
  const providers = ssoProviders().filter((p) => providerId === undefined || p.id === providerId);
  const ids = providers.map((p) => p.id);
  const fromEnv = providers.flatMap((p) => p.groupMappings.map((m) => ({ provider: p.id, ...m })));
  const [teams, stored] = await Promise.all([
    fromEnv.length > 0
      ? tx.team.findMany({ where: { slug: { in: [...new Set(fromEnv.map((m) => m.team))] } }, select: { id: true, slug: true, name: true } })
      : Promise.resolve([]),
    tx.ssoGroupMapping.findMany({
      where: { provider: { in: ids } },
      include: { team: { select: { slug: true, name: true } }, createdBy: { select: { email: true } } },
      orderBy: [{ provider: "asc" }, { group: "asc" }, { createdAt: "asc" }],
    }),
  ]);
  const bySlug = new Map(teams.map((t) => [t.slug, t]));
  return [
    ...fromEnv.map((m) => {
      const team = bySlug.get(m.team);
      return {
        id: null,
        provider: m.provider,
        group: m.group,
        teamSlug: m.team,
        teamId: team?.id ?? null,
        teamName: team?.name ?? null,
        role: m.role,
        source: "environment" as const,
        createdAt: null,
        createdBy: null,
      };
    }),
    ...stored.map((m) => ({
      id: m.id,
      provider: m.provider,
      group: m.group,
      teamSlug: m.team.slug,
      teamId: m.teamId,
      teamName: m.team.name,
      role: m.role,
      source: "portal" as const,
      createdAt: m.createdAt,
      createdBy: m.createdBy?.email ?? null,
    })),
  ];
}
