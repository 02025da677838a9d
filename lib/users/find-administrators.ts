import "server-only";
import { db } from "@/lib/db/client";

/**
 * The people who can give someone a role: enabled administrators, for telling a user
 * without any role whom to ask. Names and emails only.
 */
export async function findAdministrators({ limit = 5 }: { limit?: number } = {}) {
  return db.user.findMany({
    where: { disabledAt: null, memberships: { some: { role: "admin" } } },
    select: { name: true, email: true },
    orderBy: { email: "asc" },
    take: limit,
  });
}
