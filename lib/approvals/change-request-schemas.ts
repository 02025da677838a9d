import { z } from "zod";
import { pageOf, paginationQuery } from "@/lib/shared/pagination";
import { noteSchema } from "@/lib/policies/policy-schemas";

export const CHANGE_REQUEST_STATUSES = ["open", "accepted", "declined"] as const;

export const createChangeRequestInput = z.strictObject({
  title: z.string().trim().min(1, "say what should change").max(200),
  rationale: z.string().trim().min(1, "say why the change is needed").max(4000),
  proposedContent: z
    .string()
    .max(256 * 1024)
    .optional()
    .describe("A proposed ApplicationPolicy document (YAML or JSON text)"),
});

export const listChangeRequestsQuery = z.strictObject({
  ...paginationQuery,
  status: z.enum(CHANGE_REQUEST_STATUSES).optional(),
  applicationId: z.uuid().optional(),
  teamId: z.uuid().optional(),
});
export type ListChangeRequestsQuery = z.output<typeof listChangeRequestsQuery>;

export const decideChangeRequestInput = z.strictObject({
  decision: z.enum(["accept", "decline"]),
  note: noteSchema.pipe(z.string().min(1, "say why")),
  /** Accept: the policy version (of this application's policy) the request became. */
  versionId: z.uuid().optional(),
});

export const changeRequestParams = z.strictObject({ requestId: z.uuid({ error: "must be a UUID" }) });

const userRef = z.object({ id: z.uuid(), name: z.string(), email: z.string() });

export const changeRequestSchema = z.object({
  id: z.uuid(),
  application: z.object({ id: z.uuid(), slug: z.string(), name: z.string(), teamId: z.uuid() }),
  title: z.string(),
  rationale: z.string(),
  proposedContent: z.string().nullable(),
  status: z.enum(CHANGE_REQUEST_STATUSES),
  author: userRef,
  decidedBy: userRef.nullable(),
  decidedAt: z.iso.datetime().nullable(),
  decisionNote: z.string().nullable(),
  versionId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  version: z.number().int(),
});

export const changeRequestPageSchema = pageOf(changeRequestSchema);
