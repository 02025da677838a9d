import "server-only";
import { skipTake } from "@/lib/shared/pagination";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { ListNotificationsQuery } from "./notification-schemas";

/** The caller's own notifications, newest first; nobody reads anyone else's. */
export async function findNotifications({ actor, query }: { actor: Actor; query: ListNotificationsQuery }) {
  const where = { userId: actor.user.id, ...(query.unread ? { readAt: null } : {}) };
  const [items, total, unread] = await Promise.all([
    db.notification.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], ...skipTake(query.page, query.pageSize) }),
    db.notification.count({ where }),
    countUnreadNotifications({ actor }),
  ]);
  return { items, total, page: query.page, pageSize: query.pageSize, unread };
}

/** For the shell's badge. */
export async function countUnreadNotifications({ actor }: { actor: Actor }) {
  return db.notification.count({ where: { userId: actor.user.id, readAt: null } });
}
