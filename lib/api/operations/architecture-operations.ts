import { z } from "zod";
import {
  createDecisionInput,
  decisionPageSchema,
  decisionSchema,
  draftListSchema,
  draftParams,
  draftSchema,
  effectiveArchitectureSchema,
  evaluateInput,
  evaluateResponse,
  listDecisionsQuery,
  saveDraftInput,
  updateDraftInput,
} from "@/lib/architecture/architecture-schemas";
import { defineOperation, idParams } from "../operation";

// The architecture questionnaire and decision records (lib/architecture). Evaluating and
// drafting are public, throttled per IP; decision records need the architecture:* permissions.

export const evaluateArchitectureOperation = defineOperation({
  id: "evaluateArchitecture",
  method: "POST",
  path: "/architecture/evaluate",
  summary: "Recommend an architecture (A, B or C) for questionnaire answers, with scores, reasons, warnings and flips; throttled per IP",
  tag: "architecture",
  access: "public",
  body: evaluateInput,
  response: evaluateResponse,
});

export const createArchitectureDraftOperation = defineOperation({
  id: "createArchitectureDraft",
  method: "POST",
  path: "/architecture/drafts",
  summary: "Save questionnaire answers as a draft to resume later; its id is the link's key (anonymous writes throttled per IP)",
  tag: "architecture",
  access: "public",
  body: saveDraftInput,
  response: draftSchema,
  successStatus: 201,
});

export const listArchitectureDraftsOperation = defineOperation({
  id: "listArchitectureDrafts",
  method: "GET",
  path: "/architecture/drafts",
  summary: "The signed-in user's own questionnaire drafts, most recent first",
  tag: "architecture",
  access: "authenticated",
  response: draftListSchema,
});

export const getArchitectureDraftOperation = defineOperation({
  id: "getArchitectureDraft",
  method: "GET",
  path: "/architecture/drafts/{id}",
  summary: "Read a questionnaire draft by its id (ETag carries its version)",
  tag: "architecture",
  access: "public",
  params: draftParams,
  response: draftSchema,
});

export const updateArchitectureDraftOperation = defineOperation({
  id: "updateArchitectureDraft",
  method: "PATCH",
  path: "/architecture/drafts/{id}",
  summary: "Replace a draft's answers and step; requires If-Match (anonymous writes throttled per IP)",
  tag: "architecture",
  access: "public",
  params: draftParams,
  body: updateDraftInput,
  response: draftSchema,
  ifMatch: true,
});

export const listArchitectureDecisionsOperation = defineOperation({
  id: "listArchitectureDecisions",
  method: "GET",
  path: "/architecture/decisions",
  summary: "List the decision records the caller may see, newest first (paginated, filterable)",
  tag: "architecture",
  access: "architecture:read",
  query: listDecisionsQuery,
  response: decisionPageSchema,
});

export const createArchitectureDecisionOperation = defineOperation({
  id: "createArchitectureDecision",
  method: "POST",
  path: "/architecture/decisions",
  summary: "Propose a decision record for applications of a team (or the whole team); supersedesId revisits an accepted one",
  tag: "architecture",
  access: "architecture:propose",
  body: createDecisionInput,
  response: decisionSchema,
  successStatus: 201,
});

export const getArchitectureDecisionOperation = defineOperation({
  id: "getArchitectureDecision",
  method: "GET",
  path: "/architecture/decisions/{id}",
  summary: "Read one decision record (ETag carries its version)",
  tag: "architecture",
  access: "architecture:read",
  params: idParams,
  response: decisionSchema,
});

export const acceptArchitectureDecisionOperation = defineOperation({
  id: "acceptArchitectureDecision",
  method: "POST",
  path: "/architecture/decisions/{id}/accept",
  summary: "Accept a proposed decision record (not your own); supersedes the record it revisits; requires If-Match",
  tag: "architecture",
  access: "architecture:accept",
  params: idParams,
  response: decisionSchema,
  ifMatch: true,
});

export const exportArchitectureDecisionOperation = defineOperation({
  id: "exportArchitectureDecision",
  method: "GET",
  path: "/architecture/decisions/{id}/markdown",
  summary: "Download a decision record as an ADR Markdown file",
  tag: "architecture",
  access: "architecture:read",
  params: idParams,
  response: z.string(),
  rawResponse: { mediaType: "text/markdown" },
});

export const getEffectiveArchitectureOperation = defineOperation({
  id: "getEffectiveArchitecture",
  method: "GET",
  path: "/architecture/applications/{id}",
  summary: "The architecture in force for an application: where its baseline is enforced, who edits what, its delivery targets",
  tag: "architecture",
  access: "architecture:read",
  params: idParams,
  response: effectiveArchitectureSchema,
});
