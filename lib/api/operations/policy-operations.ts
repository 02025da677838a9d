import { z } from "zod";
import { bundleSchema } from "@/lib/policy-spec";
import {
  createDraftInput,
  createPolicyInput,
  createRiskAcceptanceInput,
  diffQuery,
  effectivePolicyQuery,
  effectivePolicyResponse,
  listPoliciesQuery,
  policyDetailSchema,
  policyDiffSchema,
  policyPageSchema,
  policyParams,
  policySchema,
  policyVersionParams,
  policyVersionSchema,
  decisionInput,
  submitInput,
  riskAcceptanceListSchema,
  riskAcceptanceParams,
  riskAcceptanceSchema,
  updateDraftInput,
} from "@/lib/policies/policy-schemas";
import { reviewCommentInput, reviewCommentListSchema, reviewCommentSchema } from "@/lib/policies/review-comment-schemas";
import { defineOperation, idParams } from "../operation";

// Policies (lib/policies): baselines and application policies, their versions and state
// changes, diffs, the effective policy and compiled bundle of an application, YAML import
// and export, and risk acceptances. A policy document may be sent as JSON (in `content`)
// or as the body itself in YAML; errors then carry line and column.

/** A YAML (or JSON) document as the whole body: it becomes the body's `content`. */
const documentAsBody = (text: string) => ({ content: text });
const YAML_BODIES = {
  "application/yaml": documentAsBody,
  "application/x-yaml": documentAsBody,
  "text/yaml": documentAsBody,
} as const;

export const listPoliciesOperation = defineOperation({
  id: "listPolicies",
  method: "GET",
  path: "/policies",
  summary: "List the policies the caller may see: every baseline, and their teams' application policies (paginated)",
  tag: "policies",
  access: "policies:read",
  query: listPoliciesQuery,
  response: policyPageSchema,
});

export const createPolicyOperation = defineOperation({
  id: "createPolicy",
  method: "POST",
  path: "/policies",
  summary: "Create a policy with its first draft from a document (JSON in content, or a YAML body); what it applies to comes from the document's metadata",
  tag: "policies",
  access: "policies:edit",
  body: createPolicyInput,
  textBodies: YAML_BODIES,
  response: policySchema,
  successStatus: 201,
});

export const getPolicyOperation = defineOperation({
  id: "getPolicy",
  method: "GET",
  path: "/policies/{id}",
  summary: "Read a policy with its version history and what the caller may do with it",
  tag: "policies",
  access: "policies:read",
  params: policyParams,
  response: policyDetailSchema,
});

export const createPolicyDraftOperation = defineOperation({
  id: "createPolicyDraft",
  method: "POST",
  path: "/policies/{id}/versions",
  summary:
    "Start a new draft (at most one open): import a document (JSON content or a YAML body), restore an earlier version (fromVersionId: a rollback), or copy the latest",
  tag: "policies",
  access: "policies:edit",
  params: policyParams,
  body: createDraftInput,
  textBodies: YAML_BODIES,
  response: policyVersionSchema,
  successStatus: 201,
});

export const getPolicyVersionOperation = defineOperation({
  id: "getPolicyVersion",
  method: "GET",
  path: "/policies/{id}/versions/{versionId}",
  summary: "Read one version of a policy with its content (ETag carries its revision)",
  tag: "policies",
  access: "policies:read",
  params: policyVersionParams,
  response: policyVersionSchema,
});

export const updatePolicyDraftOperation = defineOperation({
  id: "updatePolicyDraft",
  method: "PUT",
  path: "/policies/{id}/versions/{versionId}",
  summary: "Replace a draft's content (JSON content or a YAML body); requires If-Match; any other state is frozen (409)",
  tag: "policies",
  access: "policies:edit",
  params: policyVersionParams,
  body: updateDraftInput,
  textBodies: YAML_BODIES,
  response: policyVersionSchema,
  ifMatch: true,
});

export const submitPolicyVersionOperation = defineOperation({
  id: "submitPolicyVersion",
  method: "POST",
  path: "/policies/{id}/versions/{versionId}/submit",
  summary: "Submit a draft for review with a summary of why (its content is frozen from then on, its risk flags computed); requires If-Match",
  tag: "policies",
  access: "policies:edit",
  params: policyVersionParams,
  body: submitInput,
  response: policyVersionSchema,
  ifMatch: true,
});

export const approvePolicyVersionOperation = defineOperation({
  id: "approvePolicyVersion",
  method: "POST",
  path: "/policies/{id}/versions/{versionId}/approve",
  summary: "Approve a submitted version with a comment; four eyes (never one's own change) and the baseline in force are checked; requires If-Match",
  tag: "policies",
  access: "policies:review",
  params: policyVersionParams,
  body: decisionInput,
  response: policyVersionSchema,
  ifMatch: true,
});

export const rejectPolicyVersionOperation = defineOperation({
  id: "rejectPolicyVersion",
  method: "POST",
  path: "/policies/{id}/versions/{versionId}/reject",
  summary: "Reject a submitted version, saying why; requires If-Match",
  tag: "policies",
  access: "policies:review",
  params: policyVersionParams,
  body: decisionInput,
  response: policyVersionSchema,
  ifMatch: true,
});

export const requestPolicyVersionChangesOperation = defineOperation({
  id: "requestPolicyVersionChanges",
  method: "POST",
  path: "/policies/{id}/versions/{versionId}/request-changes",
  summary: "Send a submitted version back to draft with a comment saying what to change (refused while another draft is open); requires If-Match",
  tag: "policies",
  access: "policies:review",
  params: policyVersionParams,
  body: decisionInput,
  response: policyVersionSchema,
  ifMatch: true,
});

export const publishPolicyVersionOperation = defineOperation({
  id: "publishPolicyVersion",
  method: "POST",
  path: "/policies/{id}/versions/{versionId}/publish",
  summary:
    "Publish an approved version, superseding the one in force; an internet-facing application needs fine-grained policy or a risk acceptance; requires If-Match",
  tag: "policies",
  access: "policies:publish",
  params: policyVersionParams,
  response: policyVersionSchema,
  ifMatch: true,
});

export const listReviewCommentsOperation = defineOperation({
  id: "listReviewComments",
  method: "GET",
  path: "/policies/{id}/versions/{versionId}/comments",
  summary: "The inline review comments on a version's diff lines, threaded (parentId), oldest first",
  tag: "policies",
  access: "policies:read",
  params: policyVersionParams,
  response: reviewCommentListSchema,
});

export const addReviewCommentOperation = defineOperation({
  id: "addReviewComment",
  method: "POST",
  path: "/policies/{id}/versions/{versionId}/comments",
  summary:
    "Comment on a line of a version's diff, or reply to a comment (whoever may edit the policy: its team and the security team); request-changes sends the open ones to the author",
  tag: "policies",
  access: "policies:edit",
  params: policyVersionParams,
  body: reviewCommentInput,
  response: reviewCommentSchema,
  successStatus: 201,
});

export const exportPolicyVersionOperation = defineOperation({
  id: "exportPolicyVersion",
  method: "GET",
  path: "/policies/{id}/versions/{versionId}/export",
  summary: "Download a version as a YAML file (application/yaml) that imports back to the same content hash",
  tag: "policies",
  access: "policies:read",
  params: policyVersionParams,
  response: z.string().describe("The policy document in YAML"),
  rawResponse: { mediaType: "application/yaml" },
});

export const diffPolicyVersionsOperation = defineOperation({
  id: "diffPolicyVersions",
  method: "GET",
  path: "/policies/{id}/diff",
  summary: "The semantic difference between two versions of a policy, in sentences and as a structured list (from defaults to to's parent)",
  tag: "policies",
  access: "policies:read",
  params: policyParams,
  query: diffQuery,
  response: policyDiffSchema,
});

export const getEffectivePolicyOperation = defineOperation({
  id: "getEffectivePolicy",
  method: "GET",
  path: "/applications/{id}/policy/effective",
  summary:
    "The effective policy of an application (published baseline merged with its published policy, or named versions as a preview), with each setting's origin",
  tag: "policies",
  access: "policies:read",
  params: idParams,
  query: effectivePolicyQuery,
  response: effectivePolicyResponse,
});

export const getPolicyBundleOperation = defineOperation({
  id: "getPolicyBundle",
  method: "GET",
  path: "/applications/{id}/policy/bundle",
  summary:
    "The compiled bundle of an application as canonical JSON bytes (ETag: its content hash); refused for an internet-facing application without fine-grained policy or risk acceptance",
  tag: "policies",
  access: "policies:read",
  params: idParams,
  query: effectivePolicyQuery,
  response: bundleSchema,
  rawResponse: { mediaType: "application/json" },
});

export const listRiskAcceptancesOperation = defineOperation({
  id: "listRiskAcceptances",
  method: "GET",
  path: "/applications/{id}/risk-acceptances",
  summary: "An application's risk acceptances (going live without fine-grained policy), newest first",
  tag: "policies",
  access: "policies:read",
  params: idParams,
  response: riskAcceptanceListSchema,
});

export const createRiskAcceptanceOperation = defineOperation({
  id: "createRiskAcceptance",
  method: "POST",
  path: "/applications/{id}/risk-acceptances",
  summary: "Accept, until an expiry, that an internet-facing application goes live without fine-grained policy",
  tag: "policies",
  access: "policies:accept-risk",
  params: idParams,
  body: createRiskAcceptanceInput,
  response: riskAcceptanceSchema,
  successStatus: 201,
});

export const revokeRiskAcceptanceOperation = defineOperation({
  id: "revokeRiskAcceptance",
  method: "POST",
  path: "/applications/{id}/risk-acceptances/{acceptanceId}/revoke",
  summary: "Revoke a risk acceptance before it expires",
  tag: "policies",
  access: "policies:accept-risk",
  params: riskAcceptanceParams,
  response: riskAcceptanceSchema,
});
