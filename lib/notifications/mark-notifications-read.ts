import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";

/** Marks the caller's notifications read (the named ones, else all); returns how many remain unread. */
export async function markNotificationsRead({ actor, ids }: { actor: Actor; ids?: string[] }) {
  await db.notification.updateMany({
    where: { userId: actor.user.id, readAt: null, ...(ids ? { id: { in: ids } } : {}) },
    data: { readAt: new Date() },
  });
  return { unread: await db.notification.count({ where: { userId: actor.user.id, readAt: null } }) };
}
