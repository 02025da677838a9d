import { z } from "zod";
import { pageOf, paginationQuery } from "@/lib/shared/pagination";
import { policyChangeSchema, policyKindSchema } from "@/lib/policies/policy-schemas";
import { RISK_FLAG_CODES, riskFlagSchema } from "./compute-risk-flags";

// The approval queue's contract: the same schemas serve the route, the OpenAPI document
// and the page's filters.

export const APPROVAL_SORTS = ["oldest", "newest", "risk", "policy", "author"] as const;

export const approvalQueueQuery = z.strictObject({
  ...paginationQuery,
  sort: z.enum(APPROVAL_SORTS).default("oldest"),
  teamId: z.uuid().optional(),
  applicationId: z.uuid().optional(),
  kind: policyKindSchema.optional().describe("baseline or fine-grained (application) policy"),
  risk: z
    .enum(["any", "none", ...RISK_FLAG_CODES])
    .optional()
    .describe("any flag, none, or one flag code"),
  authorId: z.uuid().optional(),
  q: z.string().trim().max(100).optional().describe("words in the policy, application, author or submission summary"),
  olderThanDays: z.coerce.number().int().min(0).max(3650).optional().describe("submitted at least this many days ago"),
  newerThanDays: z.coerce.number().int().min(0).max(3650).optional().describe("submitted at most this many days ago"),
});
export type ApprovalQueueQuery = z.output<typeof approvalQueueQuery>;

const userRef = z.object({ id: z.uuid(), name: z.string(), email: z.string() });
const isoDate = z.iso.datetime();

export const approvalEntrySchema = z.object({
  policy: z.object({ id: z.uuid(), kind: policyKindSchema, name: z.string(), environment: z.string().nullable() }),
  application: z
    .object({
      id: z.uuid(),
      slug: z.string(),
      name: z.string(),
      exposure: z.enum(["internet", "internal"]),
      team: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }),
    })
    .nullable(),
  versionId: z.uuid(),
  number: z.number().int(),
  /** For If-Match on the decision. */
  version: z.number().int(),
  author: userRef,
  /** Everyone who wrote the content; with the submitter, none of them may approve it (four eyes). */
  editors: z.array(userRef),
  submittedBy: userRef.nullable(),
  submittedAt: isoDate,
  ageDays: z.number().int(),
  submissionSummary: z.string().nullable(),
  riskFlags: z.array(riskFlagSchema),
  /** The semantic diff against the version in force (none published: every change is new). */
  diff: z.object({
    against: z.object({ versionId: z.uuid(), number: z.number().int() }).nullable(),
    changes: z.array(policyChangeSchema),
    loosens: z.number().int(),
    tightens: z.number().int(),
  }),
  /**
   * The effective-policy impact, against the baselines in force now: whether it still
   * validates (a version that does not cannot be approved), and whether a baseline was
   * published after the version was submitted.
   */
  impact: z.object({
    validates: z.boolean(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })),
    baselineChangedSinceSubmission: z.boolean(),
  }),
});
export type ApprovalEntry = z.infer<typeof approvalEntrySchema>;

export const approvalPageSchema = pageOf(approvalEntrySchema);

export const approvalParams = z.strictObject({ versionId: z.uuid({ error: "must be a UUID" }) });
