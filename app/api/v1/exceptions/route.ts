// GET /api/v1/exceptions — the register of deny-rule exceptions across applications
import { handleOperation } from "@/lib/api/handle-operation";
import { listExceptionsOperation } from "@/lib/api/operations";
import { findExceptions } from "@/lib/approvals/find-exceptions";

export const GET = handleOperation(listExceptionsOperation, ({ actor, query }) => findExceptions({ actor, query }));
