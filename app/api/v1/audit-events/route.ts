// GET /api/v1/audit-events — search the audit trail (read-only: there is no write API)
import { handleOperation } from "@/lib/api/handle-operation";
import { listAuditEventsOperation } from "@/lib/api/operations";
import { findAuditEvents } from "@/lib/audit/find-audit-events";

export const GET = handleOperation(listAuditEventsOperation, ({ actor, query }) => findAuditEvents({ actor, query }));
