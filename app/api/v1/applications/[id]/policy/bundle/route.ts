// GET /api/v1/applications/{id}/policy/bundle — the compiled bundle, as the exact canonical bytes
import { handleOperation } from "@/lib/api/handle-operation";
import { getPolicyBundleOperation } from "@/lib/api/operations";
import { getCompiledBundle } from "@/lib/policies/get-compiled-bundle";

export const GET = handleOperation(getPolicyBundleOperation, async ({ actor, params, query }) => {
  const { bundle, bytes, application } = await getCompiledBundle({ actor, applicationId: params.id, query });
  return new Response(bytes, {
    headers: {
      "content-type": "application/json",
      "content-disposition": `inline; filename="${application.slug}-bundle.json"`,
      etag: `"${bundle.contentHash}"`,
    },
  });
});
