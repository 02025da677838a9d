import { approvalPageSchema, approvalParams, approvalQueueQuery } from "@/lib/approvals/approval-schemas";
import {
  changeRequestPageSchema,
  changeRequestParams,
  changeRequestSchema,
  createChangeRequestInput,
  decideChangeRequestInput,
  listChangeRequestsQuery,
} from "@/lib/approvals/change-request-schemas";
import { exceptionPageSchema, listExceptionsQuery } from "@/lib/approvals/exception-schemas";
import { listNotificationsQuery, markNotificationsReadInput, notificationPageSchema, unreadCountSchema } from "@/lib/notifications/notification-schemas";
import { decisionInput, policyVersionSchema } from "@/lib/policies/policy-schemas";
import { defineOperation, idParams } from "../operation";

// The approval queue (lib/approvals) and in-app notifications (lib/notifications). A
// decision from the queue is the policy version's own transition: the same rules (four
// eyes, a comment, the baseline in force, If-Match) and the same audit events.

export const listApprovalsOperation = defineOperation({
  id: "listApprovals",
  method: "GET",
  path: "/approvals",
  summary:
    "The approval queue: submitted policy versions across teams, filtered (team, application, kind, risk, author, age), sorted and paginated, each with its diff against the version in force, risk flags and effective-policy impact",
  tag: "approvals",
  access: "policies:review",
  query: approvalQueueQuery,
  response: approvalPageSchema,
});

const decision = (id: string, path: string, summary: string) =>
  defineOperation({
    id,
    method: "POST",
    path: `/approvals/{versionId}/${path}`,
    summary,
    tag: "approvals",
    access: "policies:review",
    params: approvalParams,
    body: decisionInput,
    response: policyVersionSchema,
    ifMatch: true,
  });

export const approveApprovalOperation = decision(
  "approveApproval",
  "approve",
  "Approve a submitted version with a comment; never one's own change (four eyes); refused if it no longer fits the baseline in force; requires If-Match",
);
export const rejectApprovalOperation = decision("rejectApproval", "reject", "Reject a submitted version with a comment; requires If-Match");
export const requestApprovalChangesOperation = decision(
  "requestApprovalChanges",
  "request-changes",
  "Send a submitted version back to draft with a comment saying what to change; requires If-Match",
);

export const listNotificationsOperation = defineOperation({
  id: "listNotifications",
  method: "GET",
  path: "/notifications",
  summary: "The caller's in-app notifications, newest first (paginated), with the unread count",
  tag: "notifications",
  access: "authenticated",
  query: listNotificationsQuery,
  response: notificationPageSchema,
});

export const getUnreadNotificationCountOperation = defineOperation({
  id: "getUnreadNotificationCount",
  method: "GET",
  path: "/notifications/unread-count",
  summary: "How many of the caller's notifications are unread (the shell's badge)",
  tag: "notifications",
  access: "authenticated",
  response: unreadCountSchema,
});

export const markNotificationsReadOperation = defineOperation({
  id: "markNotificationsRead",
  method: "POST",
  path: "/notifications/read",
  summary: "Mark the caller's notifications read (the named ones, else all)",
  tag: "notifications",
  access: "authenticated",
  body: markNotificationsReadInput,
  response: unreadCountSchema,
});

export const listExceptionsOperation = defineOperation({
  id: "listExceptions",
  method: "GET",
  path: "/exceptions",
  summary:
    "The register of deny-rule exceptions in force across the applications the caller may read: who asked, who approved, justification, expiry; filter by team, application, family, expiring within N days, expired",
  tag: "approvals",
  access: "policies:read",
  query: listExceptionsQuery,
  response: exceptionPageSchema,
});

export const createChangeRequestOperation = defineOperation({
  id: "createChangeRequest",
  method: "POST",
  path: "/applications/{id}/change-requests",
  summary: "Ask the security team for a policy change (architecture C only, where the team does not edit policy): what and why, optionally a proposed document",
  tag: "approvals",
  access: "policies:request-change",
  params: idParams,
  body: createChangeRequestInput,
  response: changeRequestSchema,
  successStatus: 201,
});

export const listChangeRequestsOperation = defineOperation({
  id: "listChangeRequests",
  method: "GET",
  path: "/change-requests",
  summary: "Change requests the caller may see (security officers: all teams), oldest first, filtered by status, application, team",
  tag: "approvals",
  access: "policies:read",
  query: listChangeRequestsQuery,
  response: changeRequestPageSchema,
});

export const decideChangeRequestOperation = defineOperation({
  id: "decideChangeRequest",
  method: "POST",
  path: "/change-requests/{requestId}/decision",
  summary: "Accept a change request (naming the policy version it became) or decline it, with a note; requires If-Match",
  tag: "approvals",
  access: "policies:review",
  params: changeRequestParams,
  body: decideChangeRequestInput,
  response: changeRequestSchema,
  ifMatch: true,
});
