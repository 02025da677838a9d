"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { ActionButton } from "@/components/action-button";
import { DateTime } from "@/components/date-time";
import { unreadCountSchema } from "@/lib/notifications/notification-schemas";
import { apiRequest } from "@/lib/query/api-client";

type Notice = { id: string; title: string; body: string; link: string | null; readAt: string | null; createdAt: string };

/** The caller's notifications, unread first in bold, with "mark all read". */
export function NotificationList({ items, unread }: { items: Notice[]; unread: number }) {
  const router = useRouter();
  if (items.length === 0) return <p className="muted">No notifications.</p>;
  return (
    <>
      {unread > 0 ? (
        <ActionButton
          action={() => apiRequest("/notifications/read", { method: "POST", body: {}, schema: unreadCountSchema })}
          onDone={() => router.refresh()}
          label="Mark all notifications read"
          pendingLabel="Marking…"
          className="button button-secondary button-small"
        >
          Mark all read
        </ActionButton>
      ) : null}
      <ul aria-label="Notifications" className="notification-list">
        {items.map((n) => (
          <li key={n.id}>
            {n.readAt ? null : <span className="visually-hidden">Unread: </span>}
            {n.link ? <Link href={n.link}>{n.readAt ? n.title : <strong>{n.title}</strong>}</Link> : n.readAt ? n.title : <strong>{n.title}</strong>}
            {n.body ? <p className="muted">{n.body}</p> : null}
            <p className="muted">
              <DateTime value={n.createdAt} />
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
