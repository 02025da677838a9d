// GET /api/v1/change-requests — policy change requests (architecture C)
import { handleOperation } from "@/lib/api/handle-operation";
import { listChangeRequestsOperation } from "@/lib/api/operations";
import { findChangeRequests } from "@/lib/approvals/find-change-requests";

export const GET = handleOperation(listChangeRequestsOperation, ({ actor, query }) => findChangeRequests({ actor, query }));
