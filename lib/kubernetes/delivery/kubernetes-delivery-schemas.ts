import { z } from "zod";

// The Kubernetes delivery API's shapes: plans (rendered resources and their server-side
// dry-run diff), applies with per-resource results, drift checks, and GitOps exports.
// Shared by the operations, the OpenAPI document and the browser's queries.

export const targetParams = z.strictObject({ id: z.uuid({ error: "must be a UUID" }) });
export const planParams = z.strictObject({ id: z.uuid({ error: "must be a UUID" }), planId: z.uuid({ error: "must be a UUID" }) });

/** Which object: the way kubectl names it, and the application it belongs to (null: shared by all). */
export const resourceRefSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  namespace: z.string().nullable(),
  name: z.string(),
  application: z.string().nullable(),
});
export type ResourceRefView = z.output<typeof resourceRefSchema>;

const fieldChangeSchema = z.object({
  path: z.string(),
  change: z.enum(["added", "removed", "changed"]),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});

const clusterErrorSchema = z.object({
  kind: z.string(),
  status: z.number().int().nullable(),
  message: z.string(),
});

const versionRefSchema = z.object({ id: z.uuid(), number: z.number().int() });

/** What one application's resources were rendered from: the published versions and the bundle. */
export const deliverySourceSchema = z.object({
  applicationId: z.uuid(),
  slug: z.string(),
  baseline: versionRefSchema.extend({ name: z.string(), environment: z.string().nullable() }),
  applicationVersion: versionRefSchema.nullable(),
  contentHash: z.string(),
});
export type DeliverySource = z.output<typeof deliverySourceSchema>;

export const excludedApplicationSchema = z.object({ applicationId: z.uuid(), slug: z.string(), reason: z.string() });
export type ExcludedApplication = z.output<typeof excludedApplicationSchema>;

export const renderNoteSchema = z.object({
  application: z.string(),
  format: z.string(),
  message: z.string(),
  /** Set on a plan's note about an HTTPRoute the policies attach to that the cluster does not have (or could not show). */
  route: z.object({ namespace: z.string(), name: z.string(), state: z.enum(["missing", "gateway-api-missing", "unknown"]) }).optional(),
});

export const PLAN_CHANGES = ["create", "update", "unchanged"] as const;

export const planChangeSchema = z.object({
  ref: resourceRefSchema,
  change: z.enum(PLAN_CHANGES),
  changes: z.array(fieldChangeSchema),
  /** Unified diff of the YAML, live → after the apply. */
  text: z.string(),
  /** Set when the dry run could not run because the kind is defined by a CustomResourceDefinition of this same plan. */
  note: z.string().nullable(),
});
export type PlanChange = z.output<typeof planChangeSchema>;

const personSchema = z.object({ id: z.uuid(), name: z.string(), email: z.string() });

export const kubernetesPlanSchema = z.object({
  id: z.uuid(),
  targetId: z.uuid(),
  renderedHash: z.string(),
  sources: z.array(deliverySourceSchema),
  excluded: z.array(excludedApplicationSchema),
  notes: z.array(renderNoteSchema),
  changes: z.array(planChangeSchema),
  summary: z.object({ create: z.number().int(), update: z.number().int(), unchanged: z.number().int() }),
  createdBy: personSchema,
  createdAt: z.iso.datetime(),
  /** Whether the published policy still renders to these resources (an apply is refused otherwise). */
  current: z.boolean().nullable(),
});
export type KubernetesPlanView = z.output<typeof kubernetesPlanSchema>;

/** The plan with the resources it would apply, for reviewers and automation. */
export const kubernetesPlanDetailSchema = kubernetesPlanSchema.extend({ resources: z.array(z.record(z.string(), z.unknown())) });

export const APPLY_OUTCOMES = ["applied", "partial", "failed"] as const;

export const applyResultSchema = z.object({
  ref: resourceRefSchema,
  /** created / configured / unchanged: applied; failed: the cluster refused it; skipped: not attempted after a fatal error. */
  outcome: z.enum(["created", "configured", "unchanged", "failed", "skipped"]),
  resourceVersion: z.string().nullable(),
  error: clusterErrorSchema.nullable(),
});
export type ApplyResultView = z.output<typeof applyResultSchema>;

export const kubernetesApplySchema = z.object({
  id: z.uuid(),
  targetId: z.uuid(),
  planId: z.uuid(),
  kind: z.enum(["apply", "reapply"]),
  outcome: z.enum(APPLY_OUTCOMES),
  results: z.array(applyResultSchema),
  appliedBy: personSchema,
  createdAt: z.iso.datetime(),
});
export type KubernetesApplyView = z.output<typeof kubernetesApplySchema>;

export const DRIFT_STATES = ["in-sync", "drifted", "missing", "error"] as const;

export const driftResultSchema = z.object({
  ref: resourceRefSchema,
  state: z.enum(DRIFT_STATES),
  changes: z.array(fieldChangeSchema),
  text: z.string(),
  /** Field managers other than Rampart that own the drifted fields (kubectl, a controller). */
  changedBy: z.array(z.string()),
  error: clusterErrorSchema.nullable(),
});

export const kubernetesDriftCheckSchema = z.object({
  id: z.uuid(),
  targetId: z.uuid(),
  applyId: z.uuid(),
  trigger: z.enum(["manual", "scheduled"]),
  state: z.enum(["in-sync", "drifted", "error"]),
  results: z.array(driftResultSchema),
  error: z.string().nullable(),
  checkedBy: personSchema.nullable(),
  createdAt: z.iso.datetime(),
});
export type KubernetesDriftCheckView = z.output<typeof kubernetesDriftCheckSchema>;

/** The Kubernetes delivery of a target at a glance: its latest plan, apply and drift check. */
export const kubernetesDeliverySchema = z.object({
  targetId: z.uuid(),
  latestPlan: kubernetesPlanSchema.nullable(),
  latestApply: kubernetesApplySchema.nullable(),
  latestDriftCheck: kubernetesDriftCheckSchema.nullable(),
});
export type KubernetesDeliveryView = z.output<typeof kubernetesDeliverySchema>;

export const applyPlanResponseSchema = kubernetesApplySchema;
export const reapplyResponseSchema = z.object({ apply: kubernetesApplySchema, driftCheck: kubernetesDriftCheckSchema });

export const gitExportSchema = z.object({
  id: z.uuid(),
  targetId: z.uuid(),
  commit: z.string().nullable(),
  branch: z.string(),
  changed: z.boolean(),
  files: z.array(z.string()),
  added: z.array(z.string()),
  modified: z.array(z.string()),
  removed: z.array(z.string()),
  sources: z.array(deliverySourceSchema),
  renderedHash: z.string(),
  author: personSchema,
  createdAt: z.iso.datetime(),
});
export type GitExportView = z.output<typeof gitExportSchema>;

export const gitExportListSchema = z.object({ items: z.array(gitExportSchema) });
