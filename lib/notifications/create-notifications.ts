// No "server-only" marker: the exception expiry sweep also notifies from lib/cli/serve.ts, outside Next.js.
import type { DbTransaction } from "@/lib/db/client";

export type NewNotification = { userId: string; kind: string; title: string; body?: string; link?: string | null };

/** Records in-app notifications inside the caller's transaction: they exist exactly when the change they announce does. */
export async function createNotifications(tx: DbTransaction, notifications: NewNotification[]) {
  if (notifications.length === 0) return;
  await tx.notification.createMany({
    data: notifications.map((n) => ({ userId: n.userId, kind: n.kind, title: n.title, body: n.body ?? "", link: n.link ?? null })),
  });
}

/** Every enabled user holding a role in some team: who "the security officers" are. */
export async function usersWithRole(tx: DbTransaction, role: string): Promise<string[]> {
  const users = await tx.user.findMany({
    where: { disabledAt: null, memberships: { some: { role } } },
    select: { id: true },
  });
  return users.map((u) => u.id);
}
