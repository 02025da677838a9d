// POST /api/v1/notifications/read — mark the caller's notifications read
import { handleOperation } from "@/lib/api/handle-operation";
import { markNotificationsReadOperation } from "@/lib/api/operations";
import { markNotificationsRead } from "@/lib/notifications/mark-notifications-read";

export const POST = handleOperation(markNotificationsReadOperation, ({ actor, body }) => markNotificationsRead({ actor, ids: body.ids }));
