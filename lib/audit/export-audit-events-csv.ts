import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { ExportAuditEventsQuery } from "./audit-schemas";
import { auditActionLabel } from "./audit-action-labels";
import { auditEventsWhere } from "./find-audit-events";

/** At most this many rows per export: a larger trail is exported in time windows (from/to). */
export const AUDIT_EXPORT_LIMIT = 50_000;
const COLUMNS = [
  "createdAt",
  "actorLabel",
  "actorId",
  "action",
  "actionLabel",
  "outcome",
  "targetType",
  "targetId",
  "teamId",
  "ip",
  "comment",
  "summary",
] as const;

/**
 * The audit trail the actor may read, filtered like the list, as CSV (RFC 4180), newest
 * first. The decision comment (note) gets a column of its own; the whole summary follows
 * as JSON. Cells that a spreadsheet would run as a formula are prefixed with a quote.
 */
export async function exportAuditEventsCsv({ actor, query }: { actor: Actor; query: ExportAuditEventsQuery }): Promise<Response> {
  const events = await db.auditEvent.findMany({
    where: auditEventsWhere(actor, query),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: AUDIT_EXPORT_LIMIT,
  });
  const lines = [COLUMNS.join(",")];
  for (const event of events) {
    const summary = (event.summary ?? {}) as Record<string, unknown>;
    const comment = typeof summary.note === "string" ? summary.note : typeof summary.reason === "string" ? summary.reason : "";
    lines.push(
      [
        event.createdAt.toISOString(),
        event.actorLabel,
        event.actorId ?? "",
        event.action,
        auditActionLabel(event.action),
        event.outcome,
        event.targetType,
        event.targetId ?? "",
        event.teamId ?? "",
        event.ip ?? "",
        comment,
        JSON.stringify(event.summary ?? {}),
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return new Response(`${lines.join("\r\n")}\r\n`, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`,
    },
  });
}

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
