import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { zipGitTree } from "@/lib/kubernetes/gitops/zip-git-tree";
import { loadDeliveryTarget } from "./load-delivery-target";
import { renderTargetTree } from "./render-target-tree";
import { renderTargetResources } from "./render-target-resources";

/**
 * The GitOps tree of a Kubernetes or Git target as a ZIP: exactly the files an export
 * would commit (for a Git target, in its folder), rendered from the published policy
 * now. A team's reader gets their own applications' resources and the shared ones.
 */
export async function buildDeliveryArchive({ actor, targetId }: { actor: Actor; targetId: string }) {
  const target = await loadDeliveryTarget({ actor, id: targetId, kinds: ["kubernetes", "git"], live: true });
  const rendered = await renderTargetResources({ targetId: target.id });
  const tree = renderTargetTree(rendered, { folder: target.kind === "git" ? target.folder : null, shows: target.shows });
  const bytes = zipGitTree(tree);
  const filename = `${
    target.name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "rampart"
  }-${rendered.renderedHash.slice(7, 19)}.zip`;
  return new Response(Buffer.from(bytes), {
    status: 200,
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${filename}"`,
      "content-length": String(bytes.byteLength),
    },
  });
}
