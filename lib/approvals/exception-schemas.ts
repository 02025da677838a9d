import { z } from "zod";
import { pageOf, paginationQuery } from "@/lib/shared/pagination";

export const listExceptionsQuery = z.strictObject({
  ...paginationQuery,
  teamId: z.uuid().optional(),
  applicationId: z.uuid().optional(),
  family: z.string().max(50).optional(),
  ruleId: z.string().max(100).optional().describe("one deny rule, e.g. sqli.union-select"),
  /** Still in force and expiring within this many days. */
  expiringWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
  status: z.enum(["active", "expired"]).optional().describe("expired exceptions are no longer in compiled bundles"),
});
export type ListExceptionsQuery = z.output<typeof listExceptionsQuery>;

const userRef = z.object({ id: z.uuid(), name: z.string(), email: z.string() }).nullable();

export const exceptionEntrySchema = z.object({
  id: z.string(),
  application: z.object({ id: z.uuid(), slug: z.string(), name: z.string(), teamId: z.uuid() }),
  policyId: z.uuid(),
  /** The published version it is in force with, and the version that first asked for it as it is now. */
  versionId: z.uuid(),
  versionNumber: z.number().int(),
  requestedInVersion: z.number().int(),
  family: z.string(),
  ruleId: z.string().nullable(),
  part: z.string(),
  name: z.string().nullable(),
  paths: z.array(z.string()),
  methods: z.array(z.string()).nullable(),
  description: z.string(),
  justification: z.string(),
  ticket: z.string().nullable(),
  expires: z.string(),
  daysLeft: z.number().int(),
  expired: z.boolean(),
  requestedBy: userRef,
  approvedBy: userRef,
  approvedAt: z.iso.datetime().nullable(),
});
export type ExceptionEntry = z.infer<typeof exceptionEntrySchema>;

export const exceptionPageSchema = pageOf(exceptionEntrySchema);
