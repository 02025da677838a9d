// GET /api/v1/architecture/decisions/{id}/markdown — download a decision record as ADR Markdown
import { handleOperation } from "@/lib/api/handle-operation";
import { exportArchitectureDecisionOperation } from "@/lib/api/operations";
import { exportArchitectureDecision } from "@/lib/architecture/export-architecture-decision";

export const GET = handleOperation(exportArchitectureDecisionOperation, async ({ actor, params }) => {
  const { filename, markdown } = await exportArchitectureDecision({ actor, id: params.id });
  return new Response(markdown, {
    headers: {
      "content-type": "text/markdown; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
    },
  });
});
