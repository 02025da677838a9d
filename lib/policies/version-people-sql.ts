import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";

// SQL fragments that build, inside one statement, the people the policy views show: a
// user as { id, name, email } and a version's editors in the order they first edited.
// Prisma reads each user relation of a nested select with a query of its own; these let
// a list read them in the same round trip. Aliases are the caller's constants, never input.

/** `alias` (a joined users row, possibly absent) as { id, name, email }, or null. */
export function userRefJson(alias: string): Prisma.Sql {
  return Prisma.raw(`CASE WHEN ${alias}.id IS NULL THEN NULL ELSE json_build_object('id', ${alias}.id, 'name', ${alias}.name, 'email', ${alias}.email) END`);
}

/**
 * The editors of the version `versionAlias` as a JSON array, first editor first: of
 * { id, name, email }, or with `asEditorRows` of { user: { id, name, email } } (the shape
 * of Prisma's `editors: { select: { user } }`).
 */
export function versionEditorsJson(versionAlias: string, { asEditorRows = false } = {}): Prisma.Sql {
  const user = "json_build_object('id', eu.id, 'name', eu.name, 'email', eu.email)";
  return Prisma.raw(
    `COALESCE((SELECT json_agg(${asEditorRows ? `json_build_object('user', ${user})` : user} ORDER BY e.first_edited_at, e.user_id)
               FROM policy_version_editors e JOIN users eu ON eu.id = e.user_id
               WHERE e.version_id = ${versionAlias}.id), '[]'::json)`,
  );
}
