import type { Role } from "./roles";

// THE permission table. Every route handler, server action and page checks against
// this table through lib/auth/actor.ts (can, requirePermission, requireTeamPermission); nothing else grants access.
//
// Scope per role:
//   "org"  — the permission holds across the whole organisation;
//   "team" — it holds only for resources owned by teams where the user has that role.
// A role missing from an entry does not hold the permission. A permission missing from
// the table, or a role the table does not know, is refused (see grantsFor).
export type Scope = "org" | "team";

export const PERMISSIONS = {
  // Users and teams: administered by admins; readable by those who oversee the organisation.
  "users:read": { admin: "org", "security-officer": "org", auditor: "org" },
  "users:manage": { admin: "org" },
  "teams:read": { admin: "org", "security-officer": "org", auditor: "org", "project-lead": "team", developer: "team" },
  "teams:manage": { admin: "org" },
  "memberships:manage": { admin: "org" },

  // Applications belong to a team; project leads own them, developers see their team's.
  "applications:read": {
    admin: "org",
    "security-officer": "org",
    auditor: "org",
    "project-lead": "team",
    developer: "team",
  },
  "applications:create": { "project-lead": "team" },
  "applications:update": { "project-lead": "team" },
  "applications:archive": { "project-lead": "team" },

  // The audit trail: organisation-wide for overseers; project leads see their teams' events.
  "audit:read": { admin: "org", "security-officer": "org", auditor: "org", "project-lead": "team" },

  // Architecture decision records (lib/architecture). The questionnaire, its evaluation and
  // drafts need no permission (teams may try it before they have accounts); records do.
  // Read: whoever may see an application may see the decision that shapes how it is protected.
  "architecture:read": {
    admin: "org",
    "security-officer": "org",
    auditor: "org",
    "project-lead": "team",
    developer: "team",
  },
  // Propose (save a result, or a revision, as a proposed record): project leads own their
  // team's applications and therefore their architecture; security officers may propose for
  // any team, as the security team often drives a move to a new architecture. Developers
  // answer the questionnaire and share the result with their lead.
  "architecture:propose": { "project-lead": "team", "security-officer": "org" },
  // Accept: security officers only. An accepted decision moves work to or from the security
  // team (who edits policy, where the baseline is enforced), so the security team signs it
  // off — and never its own proposal: accept-architecture-decision.ts requires a second person.
  "architecture:accept": { "security-officer": "org" },

  // Policies (lib/policies). Read: a baseline applies to every application, so whoever may
  // read policies at all may read the baselines; an application's policy is scoped like the
  // application itself (another team's is "not found").
  "policies:read": {
    admin: "org",
    "security-officer": "org",
    auditor: "org",
    "project-lead": "team",
    developer: "team",
  },
  // Edit (create, import, edit, restore and submit drafts): the most anyone may edit. Which
  // policy a caller may edit is narrowed per policy by lib/policies/can-edit-policy.ts: the
  // baseline by security officers; an application's policy by the editors its architecture
  // decision names (C: security officers only), without a decision by its team's project
  // lead and developers. Developers edit because fine-grained rules follow their code.
  "policies:edit": { "security-officer": "org", "project-lead": "team", developer: "team" },
  // Approve or reject a submitted version: the security team, since a published policy is
  // what the proxies enforce. The approval queue adds its
  // review rules (e.g. four eyes) in lib/policies/policy-transitions.ts, not here.
  "policies:review": { "security-officer": "org" },
  // Publish: the security team everywhere; a project lead only their team's fine-grained
  // policy, and only where the accepted architecture shares publishing (A and B) — narrowed
  // per policy by lib/policies/policy-permissions.ts (requireCanPublishPolicy).
  "policies:publish": { "security-officer": "org", "project-lead": "team" },
  // Letting an internet-facing application go live without fine-grained policy is a
  // security decision with an expiry: only security officers record or revoke one.
  "policies:accept-risk": { "security-officer": "org" },
  // Ask the security team for a policy change (architecture C, where project teams do not
  // edit policy themselves): the people who know the application — its team's project lead
  // and developers. Which applications accept requests is narrowed by the architecture
  // decision in lib/approvals/create-change-request.ts. Security officers decide them with
  // policies:review, since they then write the version.
  "policies:request-change": { "project-lead": "team", developer: "team" },

  // Delivery (lib/delivery): where published policy goes and what each proxy runs. Read:
  // those who oversee the organisation see every target; a team's project lead and
  // developers see the rollout of their own applications (targets scoped to them).
  "delivery:read": {
    admin: "org",
    "security-officer": "org",
    auditor: "org",
    "project-lead": "team",
    developer: "team",
  },
  // Register, rescope, rotate and revoke targets: the security team, since a target decides
  // which policy an enforcement point receives and holds the credentials to reach it.
  "delivery:manage": { "security-officer": "org" },

  // Single sign-on (lib/auth/sso): the providers and the group mappings that grant roles.
  // Read by those who oversee who holds which role; changed by admins only, since a mapping
  // hands roles to everyone in a provider's group.
  "sso:read": { admin: "org", "security-officer": "org", auditor: "org" },
  "sso:manage": { admin: "org" },

  // Every role may manage its own API tokens (the token's role is capped at the creator's).
  "tokens:manage-own": {
    admin: "org",
    "security-officer": "org",
    "project-lead": "org",
    developer: "org",
    auditor: "org",
  },
} as const satisfies Record<string, Partial<Record<Role, Scope>>>;

export type Permission = keyof typeof PERMISSIONS;

export function isPermission(value: string): value is Permission {
  return Object.prototype.hasOwnProperty.call(PERMISSIONS, value);
}

/** The scope a role holds for a permission, or null. Unknown role or permission → null. */
export function scopeOf(role: string, permission: string): Scope | null {
  if (!isPermission(permission)) return null;
  const entry = PERMISSIONS[permission] as Partial<Record<string, Scope>>;
  if (!Object.prototype.hasOwnProperty.call(entry, role)) return null;
  return entry[role] ?? null;
}

export type Grant = { org: boolean; teamIds: ReadonlySet<string> };
export type Grants = ReadonlyMap<Permission, Grant>;
export type MembershipRole = { teamId: string; role: string };

const NO_GRANT: Grant = { org: false, teamIds: new Set() };

/** Folds memberships into what they grant. Unknown roles contribute nothing. */
export function grantsFor(memberships: readonly MembershipRole[]): Grants {
  const grants = new Map<Permission, { org: boolean; teamIds: Set<string> }>();
  for (const permission of Object.keys(PERMISSIONS) as Permission[]) {
    const grant = { org: false, teamIds: new Set<string>() };
    for (const m of memberships) {
      const scope = scopeOf(m.role, permission);
      if (scope === "org") grant.org = true;
      else if (scope === "team") grant.teamIds.add(m.teamId);
    }
    if (grant.org || grant.teamIds.size > 0) grants.set(permission, grant);
  }
  return grants;
}

/** What both grant sets allow: an API token never exceeds its creator. */
export function intersectGrants(a: Grants, b: Grants): Grants {
  const result = new Map<Permission, Grant>();
  for (const [permission, ga] of a) {
    const gb = b.get(permission);
    if (!gb) continue;
    let grant: Grant;
    if (ga.org && gb.org) grant = { org: true, teamIds: new Set() };
    else if (ga.org) grant = { org: false, teamIds: new Set(gb.teamIds) };
    else if (gb.org) grant = { org: false, teamIds: new Set(ga.teamIds) };
    else grant = { org: false, teamIds: new Set([...ga.teamIds].filter((t) => gb.teamIds.has(t))) };
    if (grant.org || grant.teamIds.size > 0) result.set(permission, grant);
  }
  return result;
}

export function grantOf(grants: Grants, permission: Permission): Grant {
  return grants.get(permission) ?? NO_GRANT;
}

export function canAny(grants: Grants, permission: Permission): boolean {
  const g = grantOf(grants, permission);
  return g.org || g.teamIds.size > 0;
}

export function canInTeam(grants: Grants, permission: Permission, teamId: string): boolean {
  const g = grantOf(grants, permission);
  return g.org || g.teamIds.has(teamId);
}
