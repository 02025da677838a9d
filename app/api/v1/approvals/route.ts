// GET /api/v1/approvals — the approval queue (security officers)
import { handleOperation } from "@/lib/api/handle-operation";
import { listApprovalsOperation } from "@/lib/api/operations";
import { findApprovalQueue } from "@/lib/approvals/find-approval-queue";

export const GET = handleOperation(listApprovalsOperation, ({ actor, query }) => findApprovalQueue({ actor, query }));
