import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { getDeliveryTargetSecrets } from "@/lib/delivery/get-delivery-target-secrets";
import type { Prisma } from "@/lib/generated/prisma/client";
import { commitGitTree } from "@/lib/kubernetes/gitops/commit-git-tree";
import { describeExport } from "@/lib/kubernetes/gitops/describe-export";
import { auditSources, gitExportSelect, toGitExportView } from "./kubernetes-delivery-records";
import type { DeliverySource } from "./kubernetes-delivery-schemas";
import { gitTargetRepository } from "./git-target-repository";
import { loadDeliveryTarget } from "./load-delivery-target";
import { exportSourcesOf, renderTargetTree } from "./render-target-tree";
import { renderTargetResources } from "./render-target-resources";

/**
 * Exports a Git target: renders its applications' published policy as a GitOps tree
 * (one file per resource and a kustomization.yaml) and commits it to the target's branch
 * and folder with the acting user as the commit's author, then pushes. The same policy
 * exported again makes no commit (recorded with changed: false). The record and its
 * audit event are written after the push, in one transaction; a failed push records
 * nothing and answers with why (repository not found, credentials refused, rejected).
 */
export async function exportGitDelivery({ ctx, targetId }: { ctx: RequestContext; targetId: string }) {
  const actor = requirePermission(ctx, "delivery:manage");
  const target = await loadDeliveryTarget({ actor, id: targetId, kinds: ["git"], live: true });
  const rendered = await renderTargetResources({ targetId: target.id });
  const tree = renderTargetTree(rendered, { folder: target.folder });
  const previous = await db.gitExport.findFirst({ where: { targetId: target.id }, orderBy: { createdAt: "desc" }, select: { sources: true } });
  const delivered = new Set(rendered.sources.map((s) => s.slug));
  const removedApplications = ((previous?.sources ?? []) as DeliverySource[]).map((s) => s.slug).filter((slug) => !delivered.has(slug));

  const author = { name: actor.user.name, email: actor.user.email };
  const result = await commitGitTree({
    repository: gitTargetRepository(await getDeliveryTargetSecrets({ targetId: target.id })),
    branch: target.branch ?? "main",
    tree,
    author,
    message: describeExport({ sources: exportSourcesOf(rendered.sources), removedApplications, publishedBy: author, target: target.name }),
  });

  return db.$transaction(async (tx) => {
    const record = await tx.gitExport.create({
      data: {
        targetId: target.id,
        commit: result.commit,
        branch: result.branch,
        changed: result.changed,
        files: result.files,
        added: result.added,
        modified: result.modified,
        removed: result.removed,
        sources: rendered.sources as unknown as Prisma.InputJsonValue,
        renderedHash: rendered.renderedHash,
        authorId: actor.user.id,
      },
      select: gitExportSelect,
    });
    await recordAuditEvent(tx, ctx, {
      action: "delivery.git.export",
      target: { type: "delivery-target", id: target.id },
      summary: {
        exportId: record.id,
        repository: target.repository,
        branch: result.branch,
        commit: result.commit,
        changed: result.changed,
        added: result.added,
        modified: result.modified,
        removed: result.removed,
        versions: auditSources(rendered.sources),
      },
    });
    return toGitExportView(record);
  });
}
