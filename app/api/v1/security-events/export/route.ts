// GET /api/v1/security-events/export — NDJSON for SIEMs
import { handleOperation } from "@/lib/api/handle-operation";
import { exportSecurityEventsOperation } from "@/lib/api/operations";
import { exportSecurityEventsNdjson } from "@/lib/security-events/export-security-events";

export const GET = handleOperation(exportSecurityEventsOperation, async ({ actor, query }) => exportSecurityEventsNdjson({ actor, query }));
