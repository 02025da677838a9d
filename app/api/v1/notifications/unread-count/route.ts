// GET /api/v1/notifications/unread-count — how many of the caller's notifications are unread
import { handleOperation } from "@/lib/api/handle-operation";
import { getUnreadNotificationCountOperation } from "@/lib/api/operations";
import { countUnreadNotifications } from "@/lib/notifications/find-notifications";

export const GET = handleOperation(getUnreadNotificationCountOperation, async ({ actor }) => ({ unread: await countUnreadNotifications({ actor }) }));
