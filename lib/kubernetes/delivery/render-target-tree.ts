import "server-only";
import type { ExportSource } from "@/lib/kubernetes/gitops/export-sources";
import { applicationOf } from "@/lib/kubernetes/gitops/export-sources";
import type { GitTree } from "@/lib/kubernetes/gitops/git-tree";
import { renderGitTree } from "@/lib/kubernetes/gitops/render-git-tree";
import type { DeliverySource } from "./kubernetes-delivery-schemas";
import { gitTargetFolder } from "./git-target-repository";
import type { RenderedTarget } from "./render-target-resources";

/** What the file headers and the commit message say each application was rendered from. */
export function exportSourcesOf(sources: readonly DeliverySource[]): ExportSource[] {
  return sources.map((s) => ({
    applicationId: s.applicationId,
    application: s.slug,
    policyVersion: s.applicationVersion ? `v${s.applicationVersion.number}` : null,
    baseline: {
      name: s.baseline.environment ? `${s.baseline.name} (${s.baseline.environment})` : s.baseline.name,
      version: `v${s.baseline.number}`,
      contentHash: null,
    },
    contentHash: s.contentHash,
  }));
}

/**
 * The GitOps tree of a rendered target: one file per resource and a kustomization.yaml,
 * in the target's folder (a Kubernetes target's ZIP uses the default folder). `shows`
 * keeps a team reader's download to their own applications and the shared resources.
 */
export function renderTargetTree(rendered: RenderedTarget, options: { folder: string | null; shows?: (application: string | null) => boolean }): GitTree {
  const shows = options.shows ?? (() => true);
  return renderGitTree({
    resources: rendered.resources.filter((r) => shows(applicationOf(r))),
    folder: gitTargetFolder({ folder: options.folder }),
    sources: exportSourcesOf(rendered.sources.filter((s) => shows(s.slug))),
  });
}
