import type { TeamView } from "./team-schemas";

export const teamCounts = { _count: { select: { memberships: true, applications: true } } } as const;

type TeamRow = {
  id: string;
  slug: string;
  name: string;
  description: string;
  createdAt: Date;
  version: number;
  webhookUrl: string | null;
  webhookSecretCiphertext: Uint8Array | null;
  _count: { memberships: number; applications: number };
};

export function toTeamView(t: TeamRow): TeamView {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    description: t.description,
    createdAt: t.createdAt.toISOString(),
    version: t.version,
    memberCount: t._count.memberships,
    applicationCount: t._count.applications,
    webhookConfigured: t.webhookUrl !== null,
    webhookSigned: t.webhookSecretCiphertext !== null,
  };
}
