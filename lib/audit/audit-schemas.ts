import { z } from "zod";
import { paginationQuery, pageOf } from "@/lib/shared/pagination";

export const auditEventSchema = z.object({
  id: z.uuid(),
  actorId: z.uuid().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  outcome: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  teamId: z.uuid().nullable(),
  summary: z.unknown(),
  ip: z.string().nullable(),
  createdAt: z.iso.datetime(),
});

export const listAuditEventsQuery = z.strictObject({
  ...paginationQuery,
  actorId: z.uuid().optional(),
  actor: z.string().max(254).optional(),
  /** Words in the actor, the action (key or its label, e.g. "approve"), the target type or id. */
  q: z.string().trim().max(200).optional(),
  action: z.string().max(100).optional(),
  targetType: z.string().max(50).optional(),
  targetId: z.string().max(100).optional(),
  outcome: z.enum(["success", "failure", "denied"]).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type ListAuditEventsQuery = z.output<typeof listAuditEventsQuery>;

export const auditEventPageSchema = pageOf(auditEventSchema);

export const exportAuditEventsQuery = listAuditEventsQuery.omit({ page: true, pageSize: true });
export type ExportAuditEventsQuery = z.output<typeof exportAuditEventsQuery>;
