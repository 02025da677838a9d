// GET  /api/v1/policies/{id}/versions/{versionId}/comments — a version's inline review comments
// POST /api/v1/policies/{id}/versions/{versionId}/comments — comment on a diff line, or reply
import { handleOperation } from "@/lib/api/handle-operation";
import { addReviewCommentOperation, listReviewCommentsOperation } from "@/lib/api/operations";
import { addReviewComment, findReviewComments } from "@/lib/policies/review-comments";

export const GET = handleOperation(listReviewCommentsOperation, ({ actor, params }) =>
  findReviewComments({ actor, policyId: params.id, versionId: params.versionId }),
);
export const POST = handleOperation(addReviewCommentOperation, ({ ctx, params, body }) =>
  addReviewComment({ ctx, policyId: params.id, versionId: params.versionId, input: body }),
);
