import { z } from "zod";
import { auditEventPageSchema, exportAuditEventsQuery, listAuditEventsQuery } from "@/lib/audit/audit-schemas";
import { defineOperation } from "../operation";

export const listAuditEventsOperation = defineOperation({
  id: "listAuditEvents",
  method: "GET",
  path: "/audit-events",
  summary: "Search the audit trail (filter by actor, action, target, outcome, time)",
  tag: "audit",
  access: "audit:read",
  query: listAuditEventsQuery,
  response: auditEventPageSchema,
});

export const exportAuditEventsOperation = defineOperation({
  id: "exportAuditEvents",
  method: "GET",
  path: "/audit-events/export",
  summary: "Download the audit trail as CSV (text/csv), filtered like the list, newest first, with each decision's comment in a column",
  tag: "audit",
  access: "audit:read",
  query: exportAuditEventsQuery,
  response: z.string().describe("RFC 4180 CSV with a header row"),
  rawResponse: { mediaType: "text/csv" },
});
