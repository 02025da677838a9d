import { z } from "zod";
import { patchOf } from "@/lib/shared/patch-schema";
import { pageOf, paginationQuery } from "@/lib/shared/pagination";
import { answersSchema, architectureSchema, FACTOR_IDS, partialAnswersSchema, type FactorId } from "./answers-schema";
import { evaluateAnswers } from "./evaluate-answers";

// Request and response schemas of the architecture API. The route handlers enforce
// them, the OpenAPI document publishes them, and the forms validate with them.

const factorIdSchema = z.enum(FACTOR_IDS as unknown as [FactorId, ...FactorId[]]);
const answerValueSchema = z.union([z.boolean(), z.string()]);
const pointsSchema = z.object({ A: z.number().int(), B: z.number().int(), C: z.number().int() });

// --- evaluation --------------------------------------------------------------

export const evaluateInput = z.strictObject({ answers: answersSchema });

export const evaluationSchema = z.object({
  architecture: architectureSchema,
  scores: pointsSchema,
  ranking: z.array(architectureSchema),
  margin: z.number().int().nullable(),
  ruledOut: z.array(z.object({ architecture: architectureSchema, factor: factorIdSchema, reason: z.string() })),
  reasons: z.array(z.object({ factor: factorIdSchema, answer: answerValueSchema, effects: pointsSchema, explanation: z.string() })),
  warnings: z.array(
    z.object({
      code: z.string(),
      kind: z.enum(["contradiction", "caution", "unmet-requirement", "close-call"]),
      factors: z.array(factorIdSchema),
      message: z.string(),
    }),
  ),
  flips: z.array(z.object({ factor: factorIdSchema, from: answerValueSchema.nullable(), to: answerValueSchema, architecture: architectureSchema })),
});
export type EvaluationView = z.output<typeof evaluationSchema>;

export const evaluateResponse = evaluationSchema.extend({
  /** The shareable result page for these answers, e.g. /architecture/result?classicWorkloads=true&… */
  resultPath: z.string(),
});

// --- drafts ------------------------------------------------------------------

export const MAX_DRAFT_STEP = 20;

export const saveDraftInput = z.strictObject({
  answers: partialAnswersSchema,
  step: z.number().int().min(0).max(MAX_DRAFT_STEP).default(0),
});
export type SaveDraftInput = z.input<typeof saveDraftInput>;

/** A change to a draft: its answers, its step or both; what is not sent stays as it was. */
export const updateDraftInput = patchOf(saveDraftInput);
export type UpdateDraftInput = z.input<typeof updateDraftInput>;

export const draftParams = z.strictObject({ id: z.uuid({ error: "must be a draft id (UUID)" }) });

export const draftSchema = z.object({
  id: z.uuid(),
  answers: partialAnswersSchema,
  step: z.number().int(),
  /** Whether every required question is answered. */
  complete: z.boolean(),
  /** Whether the draft belongs to a signed-in user (it is listed for them). */
  owned: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type DraftView = z.output<typeof draftSchema>;

export const draftListSchema = z.object({ items: z.array(draftSchema) });

// --- decision records --------------------------------------------------------

export const DECISION_STATUSES = ["proposed", "accepted", "superseded"] as const;
export const decisionStatusSchema = z.enum(DECISION_STATUSES);
export type DecisionStatus = z.infer<typeof decisionStatusSchema>;

/** Rationale needed when a team decides against the recommendation. */
export const MIN_RATIONALE_LENGTH = 20;
export const MAX_APPLICATIONS_PER_DECISION = 50;

export const createDecisionInput = z
  .strictObject({
    teamId: z.uuid({ error: "must be a team id (UUID)" }),
    /** None: the decision is for the whole team (every application without one of its own). */
    applicationIds: z
      .array(z.uuid({ error: "must be an application id (UUID)" }))
      .max(MAX_APPLICATIONS_PER_DECISION, `name at most ${MAX_APPLICATIONS_PER_DECISION} applications`)
      .refine((ids) => new Set(ids).size === ids.length, "lists an application twice")
      .default([]),
    answers: answersSchema,
    /** The architecture decided; Rampart's recommendation when left out. */
    architecture: architectureSchema.optional(),
    title: z.string().trim().min(3, "must be at least 3 characters").max(160, "must be at most 160 characters").optional(),
    context: z.string().trim().max(4000, "must be at most 4000 characters").default(""),
    rationale: z.string().trim().max(4000, "must be at most 4000 characters").default(""),
    /** The accepted record this one revisits; it is superseded when this one is accepted. */
    supersedesId: z.uuid({ error: "must be a decision id (UUID)" }).optional(),
  })
  .superRefine((value, ctx) => {
    // Runs only on answers the schema accepted; a refinement may also see invalid input.
    if (!value.architecture || !answersSchema.safeParse(value.answers).success) return;
    const recommended = evaluateAnswers(value.answers).architecture;
    if (value.architecture !== recommended && value.rationale.length < MIN_RATIONALE_LENGTH) {
      ctx.addIssue({
        code: "custom",
        path: ["rationale"],
        message: `is required when you decide on ${value.architecture} although Rampart recommends ${recommended}: explain why in at least ${MIN_RATIONALE_LENGTH} characters`,
      });
    }
  });
export type CreateDecisionInput = z.input<typeof createDecisionInput>;

export const listDecisionsQuery = z.strictObject({
  ...paginationQuery,
  teamId: z.uuid().optional(),
  applicationId: z.uuid().optional(),
  status: decisionStatusSchema.optional(),
});
export type ListDecisionsQuery = z.output<typeof listDecisionsQuery>;

const personSchema = z.object({ id: z.uuid(), name: z.string(), email: z.string() });
const decisionRefSchema = z.object({ id: z.uuid(), number: z.number().int(), reference: z.string(), status: decisionStatusSchema });

export const alternativeSchema = z.object({ architecture: architectureSchema, whyNot: z.string() });
export type Alternative = z.output<typeof alternativeSchema>;

export const decisionSchema = z.object({
  id: z.uuid(),
  number: z.number().int(),
  /** "ADR-0007" */
  reference: z.string(),
  title: z.string(),
  status: decisionStatusSchema,
  architecture: architectureSchema,
  recommended: architectureSchema,
  team: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }),
  /** Empty: the decision is for the whole team. */
  applications: z.array(z.object({ id: z.uuid(), slug: z.string(), name: z.string() })),
  answers: answersSchema,
  evaluation: evaluationSchema,
  context: z.string(),
  rationale: z.string(),
  consequences: z.array(z.string()),
  alternatives: z.array(alternativeSchema),
  author: personSchema,
  createdAt: z.iso.datetime(),
  acceptedBy: personSchema.nullable(),
  acceptedAt: z.iso.datetime().nullable(),
  supersededAt: z.iso.datetime().nullable(),
  supersedes: decisionRefSchema.nullable(),
  supersededBy: decisionRefSchema.nullable(),
  version: z.number().int(),
});
export type DecisionView = z.output<typeof decisionSchema>;

export const decisionSummarySchema = decisionSchema.pick({
  id: true,
  number: true,
  reference: true,
  title: true,
  status: true,
  architecture: true,
  recommended: true,
  team: true,
  applications: true,
  author: true,
  createdAt: true,
  acceptedAt: true,
  version: true,
});
export type DecisionSummary = z.output<typeof decisionSummarySchema>;
export const decisionPageSchema = pageOf(decisionSummarySchema);

// --- what an accepted decision means for an application ----------------------

export const effectiveArchitectureSchema = z.object({
  applicationId: z.uuid(),
  architecture: architectureSchema.nullable(),
  /** Where the decision comes from: a record naming the application, or the team's record. */
  source: z.enum(["application", "team"]).nullable(),
  decision: decisionRefSchema.extend({ title: z.string(), acceptedAt: z.iso.datetime().nullable() }).nullable(),
  /** Proposals naming this application (or its team) that await acceptance. */
  pending: z.array(decisionRefSchema.extend({ architecture: architectureSchema })),
  baselineEnforcement: z.object({ where: z.enum(["gateway", "microgateways"]), how: z.string() }).nullable(),
  editing: z.object({
    baseline: z.array(z.enum(["security-officer", "project-lead", "developer"])),
    fineGrained: z.array(z.enum(["security-officer", "project-lead", "developer"])),
    fineGrainedApprovedBy: z.array(z.enum(["security-officer", "project-lead", "developer"])),
    fineGrainedPublishedBy: z.array(z.enum(["security-officer", "project-lead", "developer"])),
    changeRequests: z.boolean(),
    summary: z.string(),
  }),
  deliveryTargets: z.array(z.enum(["gateway", "microgateway", "cluster"])),
});
export type EffectiveArchitectureView = z.output<typeof effectiveArchitectureSchema>;
