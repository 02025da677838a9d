// GET /api/v1/me — the caller, their memberships and effective permissions
import { handleOperation } from "@/lib/api/handle-operation";
import { getMeOperation } from "@/lib/api/operations";
import { describeMe } from "@/lib/auth/describe-me";

export const GET = handleOperation(getMeOperation, async ({ actor }) => describeMe(actor));
