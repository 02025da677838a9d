// GET /api/v1/notifications — the caller's in-app notifications
import { handleOperation } from "@/lib/api/handle-operation";
import { listNotificationsOperation } from "@/lib/api/operations";
import { findNotifications } from "@/lib/notifications/find-notifications";

export const GET = handleOperation(listNotificationsOperation, ({ actor, query }) => findNotifications({ actor, query }));
