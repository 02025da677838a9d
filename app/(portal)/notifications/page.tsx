import type { Metadata } from "next";
import { NotificationList } from "@/components/notifications/notification-list";
import { PageHeader } from "@/components/page-header";
import { Pagination } from "@/components/pagination";
import { requireSignedIn } from "@/lib/next/current-actor";
import { listNotificationsQuery } from "@/lib/notifications/notification-schemas";
import { findNotifications } from "@/lib/notifications/find-notifications";
import { parseSearchParams, type RawSearchParams } from "@/lib/query/search-params";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const actor = await requireSignedIn();
  const { query } = parseSearchParams(listNotificationsQuery, await searchParams, ["page", "pageSize", "unread"]);
  const page = await findNotifications({ actor, query });
  const items = page.items.map((n) => ({ ...n, readAt: n.readAt?.toISOString() ?? null, createdAt: n.createdAt.toISOString() }));
  return (
    <>
      <PageHeader title="Notifications" description="Decisions on your changes, and — for security officers — new submissions and change requests." />
      <NotificationList items={items} unread={page.unread} />
      <Pagination page={page.page} pageSize={page.pageSize} total={page.total} basePath="/notifications" label="Notification pages" params={{}} />
    </>
  );
}
