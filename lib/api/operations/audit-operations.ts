import { auditEventPageSchema, listAuditEventsQuery } from "@/lib/audit/audit-schemas";
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
