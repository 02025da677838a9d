import "server-only";
import { db } from "@/lib/db/client";

// A credential (an API token or a session cookie) with everything an Actor is made of, in
// ONE round trip: the credential row, its user, and the user's memberships with their
// teams, aggregated in the database. Authentication runs on every API call, so the three
// queries it used to take (credential, user, memberships) were most of a small read's time.
// Raw SQL, because it is the one query every request runs and it must not pay for query
// planning in the client on each call; the shape is checked here, once.

export type CredentialMembership = { teamId: string; teamSlug: string; teamName: string; role: string };

export type Credential = {
  kind: "token" | "session";
  /** The api_tokens or sessions row. */
  id: string;
  expiresAt: Date;
  revokedAt: Date | null;
  /** lastUsedAt of a token, lastSeenAt of a session (null: a token never used). */
  touchedAt: Date | null;
  /** The role an API token is scoped to (null for a session). */
  tokenRole: string | null;
  user: { id: string; email: string; name: string; disabledAt: Date | null };
  memberships: CredentialMembership[];
};

type Row = {
  id: string;
  expiresAt: Date;
  revokedAt: Date | null;
  touchedAt: Date | null;
  tokenRole: string | null;
  userId: string;
  email: string;
  name: string;
  disabledAt: Date | null;
  memberships: CredentialMembership[] | null;
};

export async function findTokenCredential(tokenHash: string): Promise<Credential | null> {
  const rows = await db.$queryRaw<Row[]>`
    SELECT c.id::text AS "id", c.expires_at AS "expiresAt", c.revoked_at AS "revokedAt", c.last_used_at AS "touchedAt",
           c.role AS "tokenRole", u.id::text AS "userId", u.email, u.name, u.disabled_at AS "disabledAt",
           (SELECT json_agg(json_build_object('teamId', m.team_id, 'teamSlug', t.slug, 'teamName', t.name, 'role', m.role))
              FROM memberships m JOIN teams t ON t.id = m.team_id WHERE m.user_id = u.id) AS "memberships"
    FROM api_tokens c JOIN users u ON u.id = c.user_id
    WHERE c.token_hash = ${tokenHash}`;
  return rows[0] ? toCredential("token", rows[0]) : null;
}

export async function findSessionCredential(tokenHash: string): Promise<Credential | null> {
  const rows = await db.$queryRaw<Row[]>`
    SELECT c.id::text AS "id", c.expires_at AS "expiresAt", c.revoked_at AS "revokedAt", c.last_seen_at AS "touchedAt",
           NULL::text AS "tokenRole", u.id::text AS "userId", u.email, u.name, u.disabled_at AS "disabledAt",
           (SELECT json_agg(json_build_object('teamId', m.team_id, 'teamSlug', t.slug, 'teamName', t.name, 'role', m.role))
              FROM memberships m JOIN teams t ON t.id = m.team_id WHERE m.user_id = u.id) AS "memberships"
    FROM sessions c JOIN users u ON u.id = c.user_id
    WHERE c.token_hash = ${tokenHash}`;
  return rows[0] ? toCredential("session", rows[0]) : null;
}

function toCredential(kind: Credential["kind"], row: Row): Credential {
  return {
    kind,
    id: row.id,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    touchedAt: row.touchedAt,
    tokenRole: row.tokenRole,
    user: { id: row.userId, email: row.email, name: row.name, disabledAt: row.disabledAt },
    memberships: row.memberships ?? [],
  };
}
