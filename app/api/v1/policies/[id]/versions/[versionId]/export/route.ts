// GET /api/v1/policies/{id}/versions/{versionId}/export — download a version as YAML
import { handleOperation } from "@/lib/api/handle-operation";
import { exportPolicyVersionOperation } from "@/lib/api/operations";
import { exportPolicyVersion } from "@/lib/policies/export-policy-version";

export const GET = handleOperation(exportPolicyVersionOperation, async ({ actor, params, request }) => {
  const file = await exportPolicyVersion({ actor, policyId: params.id, versionId: params.versionId, origin: new URL(request.url).origin });
  return new Response(file.yaml, {
    headers: {
      "content-type": "application/yaml; charset=utf-8",
      "content-disposition": `attachment; filename="${file.filename}"`,
      etag: `"${file.contentHash}"`,
    },
  });
});
