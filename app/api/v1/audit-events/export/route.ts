// GET /api/v1/audit-events/export — the audit trail as CSV
import { handleOperation } from "@/lib/api/handle-operation";
import { exportAuditEventsOperation } from "@/lib/api/operations";
import { exportAuditEventsCsv } from "@/lib/audit/export-audit-events-csv";

export const GET = handleOperation(exportAuditEventsOperation, ({ actor, query }) => exportAuditEventsCsv({ actor, query }));
