import { z } from "zod";
import { pageOf, paginationQuery } from "@/lib/shared/pagination";
import { exposureSchema } from "@/lib/applications/application-schemas";

// Request and response schemas of the policy API. The route handlers enforce them, the
// OpenAPI document publishes them, and the editor validates with them. The policy
// documents themselves are the contract of lib/policy-spec: a body carries one in
// `content` (as an object, or as YAML/JSON text) and lib/policies/parse-policy-content.ts
// validates it with every error at once.

export const POLICY_KINDS = ["baseline", "application"] as const;
export const policyKindSchema = z.enum(POLICY_KINDS);
export type PolicyKindName = z.infer<typeof policyKindSchema>;

export const POLICY_VERSION_STATES = ["draft", "submitted", "approved", "rejected", "published", "superseded"] as const;
export const policyVersionStateSchema = z.enum(POLICY_VERSION_STATES);
export type PolicyVersionState = z.infer<typeof policyVersionStateSchema>;

export const POLICY_VERSION_STATE_LABELS: Record<PolicyVersionState, string> = {
  draft: "Draft",
  submitted: "Submitted for review",
  approved: "Approved",
  rejected: "Rejected",
  published: "Published",
  superseded: "Superseded",
};

export const MAX_NOTE_LENGTH = 2000;

/** A policy document: an object, or its YAML or JSON text (errors then carry line and column). */
export const policyContentInput = z
  .union([z.record(z.string(), z.unknown()), z.string()], { error: "must be a policy document (an object, or YAML/JSON text)" })
  .describe("A BaselinePolicy or ApplicationPolicy document (JSON Schemas in /schemas/), or its YAML text");

/** A stored policy document: validated, with the schema's defaults filled in. */
export const policyContentSchema = z.record(z.string(), z.unknown()).describe("A BaselinePolicy or ApplicationPolicy document");

const userRefSchema = z.object({ id: z.uuid(), name: z.string(), email: z.string() });
const isoDate = z.iso.datetime();

// --- params and queries ---------------------------------------------------------

export const policyParams = z.strictObject({ id: z.uuid({ error: "must be a policy id (UUID)" }) });
export const policyVersionParams = z.strictObject({
  id: z.uuid({ error: "must be a policy id (UUID)" }),
  versionId: z.uuid({ error: "must be a policy version id (UUID)" }),
});
export const riskAcceptanceParams = z.strictObject({
  id: z.uuid({ error: "must be an application id (UUID)" }),
  acceptanceId: z.uuid({ error: "must be a risk acceptance id (UUID)" }),
});

export const listPoliciesQuery = z.strictObject({
  ...paginationQuery,
  kind: policyKindSchema.optional(),
  applicationId: z.uuid().optional(),
  q: z.string().max(100).optional(),
});
export type ListPoliciesQuery = z.output<typeof listPoliciesQuery>;

export const diffQuery = z.strictObject({
  /** The later version. */
  to: z.uuid({ error: "must be a policy version id (UUID)" }),
  /** The earlier version; defaults to the one `to` was derived from. */
  from: z.uuid({ error: "must be a policy version id (UUID)" }).optional(),
});

const environmentSchema = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "must be an environment name such as production");

export const effectivePolicyQuery = z.strictObject({
  /** Use this environment's baseline when it has a published one (else the one for every environment). */
  environment: environmentSchema.optional(),
  /** Preview another version of the application's policy instead of the published one. */
  applicationVersionId: z.uuid().optional(),
  /** Preview another baseline version instead of the published one. */
  baselineVersionId: z.uuid().optional(),
});
export type EffectivePolicyQuery = z.output<typeof effectivePolicyQuery>;

// --- views ------------------------------------------------------------------------

export const policyVersionSummarySchema = z.object({
  id: z.uuid(),
  policyId: z.uuid(),
  number: z.number().int(),
  state: policyVersionStateSchema,
  contentHash: z.string(),
  note: z.string(),
  author: userRefSchema,
  /** Everyone who wrote the content (the author first, then whoever edited the draft); none of them may approve it. */
  editors: z.array(userRefSchema),
  parentId: z.uuid().nullable(),
  parentNumber: z.number().int().nullable(),
  submittedAt: isoDate.nullable(),
  submittedBy: userRefSchema.nullable(),
  /** Why the change is made, as its submitter wrote it. */
  submissionSummary: z.string().nullable(),
  reviewedAt: isoDate.nullable(),
  reviewedBy: userRefSchema.nullable(),
  reviewNote: z.string().nullable(),
  publishedAt: isoDate.nullable(),
  publishedBy: userRefSchema.nullable(),
  supersededAt: isoDate.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
  /** For If-Match: edits of a draft and every state change require it. */
  version: z.number().int(),
});
export type PolicyVersionSummaryView = z.output<typeof policyVersionSummarySchema>;

export const policyVersionSchema = policyVersionSummarySchema.extend({
  content: policyContentSchema,
  /** The document as its author wrote it (YAML: key order and comments kept); what the YAML view and the diff show. */
  source: z.string(),
});
export type PolicyVersionView = z.output<typeof policyVersionSchema>;

const versionRefSchema = z.object({ id: z.uuid(), number: z.number().int(), state: policyVersionStateSchema });

export const policySchema = z.object({
  id: z.uuid(),
  kind: policyKindSchema,
  /** What the policy applies to: `baseline`, `baseline:<environment>` or `application:<id>`. */
  scope: z.string(),
  name: z.string(),
  environment: z.string().nullable(),
  application: z.object({ id: z.uuid(), slug: z.string(), name: z.string(), teamId: z.uuid(), exposure: exposureSchema }).nullable(),
  publishedVersion: versionRefSchema.nullable(),
  latestVersion: versionRefSchema.nullable(),
  /** The open draft, if any: at most one per policy. */
  draft: versionRefSchema.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
  version: z.number().int(),
});
export type PolicyView = z.output<typeof policySchema>;

export const policyPageSchema = pageOf(policySchema);

/** What the caller may do with one policy, so the UI offers only that. */
export const policyAbilitiesSchema = z.object({
  edit: z.boolean(),
  review: z.boolean(),
  publish: z.boolean(),
});
export type PolicyAbilities = z.output<typeof policyAbilitiesSchema>;

export const policyDetailSchema = policySchema.extend({
  versions: z.array(policyVersionSummarySchema),
  abilities: policyAbilitiesSchema,
});
export type PolicyDetailView = z.output<typeof policyDetailSchema>;

// --- inputs -----------------------------------------------------------------------

export const noteSchema = z.string().trim().max(MAX_NOTE_LENGTH, `must be at most ${MAX_NOTE_LENGTH} characters`);

/**
 * A new policy with its first draft. What it applies to comes from the document: a
 * BaselinePolicy's metadata.environment, an ApplicationPolicy's metadata.application.
 */
export const createPolicyInput = z.strictObject({
  content: policyContentInput,
  note: noteSchema.default(""),
});
export type CreatePolicyInput = z.input<typeof createPolicyInput>;

/**
 * A new draft: from a document (import), from an earlier version (restore, i.e. rollback),
 * or, with neither, from the latest version.
 */
export const createDraftInput = z
  .strictObject({
    content: policyContentInput.optional(),
    fromVersionId: z.uuid({ error: "must be a policy version id (UUID)" }).optional(),
    note: noteSchema.default(""),
  })
  .refine((value) => !(value.content !== undefined && value.fromVersionId !== undefined), {
    message: "send either content or fromVersionId, not both",
    path: ["fromVersionId"],
  });
export type CreateDraftInput = z.input<typeof createDraftInput>;

export const updateDraftInput = z.strictObject({
  content: policyContentInput,
  note: noteSchema.optional(),
});
export type UpdateDraftInput = z.input<typeof updateDraftInput>;

/**
 * A reviewer's decision (approve, reject, request changes). The comment is required; the
 * rule that says so runs in the domain (transition-policy-version.ts), so that a decision
 * without one is audited as a denied attempt like every other refusal.
 */
export const decisionInput = z.strictObject({ note: noteSchema.default("").describe("Required: why you decide so") });
export const submitInput = z.strictObject({
  summary: noteSchema.pipe(z.string().min(1, "say why this change is made")).describe("Why this change is made, for the reviewers"),
});

// --- diff, effective policy, bundle --------------------------------------------------

export const policyChangeSchema = z.object({
  path: z.string(),
  kind: z.enum(["added", "removed", "changed"]),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  risk: z.enum(["loosens", "tightens"]).optional(),
  text: z.string(),
});

export const policyDiffSchema = z.object({
  policyId: z.uuid(),
  from: versionRefSchema.extend({ contentHash: z.string() }),
  to: versionRefSchema.extend({ contentHash: z.string() }),
  changes: z.array(policyChangeSchema),
  summary: z.object({ changes: z.number().int(), loosens: z.number().int(), tightens: z.number().int() }),
});
export type PolicyDiffView = z.output<typeof policyDiffSchema>;

export const riskAcceptanceSchema = z.object({
  id: z.uuid(),
  applicationId: z.uuid(),
  reason: z.string(),
  expiresAt: isoDate,
  acceptedBy: userRefSchema,
  createdAt: isoDate,
  revokedAt: isoDate.nullable(),
  revokedBy: userRefSchema.nullable(),
  /** Neither revoked nor expired. */
  active: z.boolean(),
});
export type RiskAcceptanceView = z.output<typeof riskAcceptanceSchema>;
export const riskAcceptanceListSchema = z.object({ items: z.array(riskAcceptanceSchema) });

/** How long a risk acceptance may last: it is meant to bridge, not to replace, fine-grained policy. */
export const MAX_RISK_ACCEPTANCE_DAYS = 180;

export const createRiskAcceptanceInput = z.strictObject({
  reason: z.string().trim().min(10, "say why the risk is accepted (at least 10 characters)").max(MAX_NOTE_LENGTH),
  expiresAt: z.iso.datetime({ offset: true, error: "must be a date and time such as 2027-01-31T00:00:00Z" }),
});
export type CreateRiskAcceptanceInput = z.input<typeof createRiskAcceptanceInput>;

const sourceVersionSchema = z.object({
  policyId: z.uuid(),
  versionId: z.uuid(),
  number: z.number().int(),
  state: policyVersionStateSchema,
});

/** Whether the application meets the rule that internet-facing applications need fine-grained policy. */
export const fineGrainedRequirementSchema = z.object({
  required: z.boolean(),
  /** The application policy in use has rules of its own. */
  satisfied: z.boolean(),
  riskAcceptance: riskAcceptanceSchema.nullable(),
  /** Whether a version may be published / a bundle delivered. */
  met: z.boolean(),
  message: z.string().nullable(),
});
export type FineGrainedRequirementView = z.output<typeof fineGrainedRequirementSchema>;

export const effectivePolicyResponse = z.object({
  application: z.object({ id: z.uuid(), slug: z.string(), name: z.string(), exposure: exposureSchema }),
  baseline: sourceVersionSchema.extend({ environment: z.string().nullable() }),
  applicationPolicy: sourceVersionSchema.nullable(),
  /** Whether a draft or other unpublished version was used instead of a published one. */
  preview: z.boolean(),
  requirement: fineGrainedRequirementSchema,
  effective: z.record(z.string(), z.unknown()).describe("The EffectivePolicy of lib/policy-spec, with each setting's origin in `origins`"),
});
export type EffectivePolicyView = z.output<typeof effectivePolicyResponse>;
