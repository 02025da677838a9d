import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { getDeliveryTargetSecrets } from "@/lib/delivery/get-delivery-target-secrets";
import type { Prisma } from "@/lib/generated/prisma/client";
import { checkRouteAttachments } from "@/lib/kubernetes/cluster/check-route-attachments";
import { unifiedYamlDiff } from "@/lib/kubernetes/cluster/compare-objects";
import { diffResources, type ResourceDiff } from "@/lib/kubernetes/cluster/diff-resources";
import { asClusterResources } from "./as-cluster-resources";
import { clusterFailure } from "./cluster-failure";
import { auditSources, planSelect, toPlanView } from "./kubernetes-delivery-records";
import type { PlanChange } from "./kubernetes-delivery-schemas";
import { definitionOf } from "@/lib/kubernetes/render/apply-order";
import { loadDeliveryTarget, refKey, refOfResource } from "./load-delivery-target";
import { renderTargetResources, resourceKey } from "./render-target-resources";

/**
 * Plans a delivery to a Kubernetes target: renders what its applications' published
 * policy says the cluster should hold, asks the cluster for a server-side dry run of each
 * resource (the server defaults, prunes and validates as for a real apply) and stores the
 * diff with what it was rendered from, plus whether the HTTPRoutes the policies attach
 * to exist (missing ones lead the plan's notes). Nothing is stored unless the whole dry run
 * succeeded: an unreachable cluster, refused credentials, a missing CRD, a forbidden
 * namespace or an invalid resource is a problem+json naming the resource.
 */
export async function planKubernetesDelivery({ ctx, targetId }: { ctx: RequestContext; targetId: string }) {
  const actor = requirePermission(ctx, "delivery:manage");
  const target = await loadDeliveryTarget({ actor, id: targetId, kinds: ["kubernetes"], live: true });
  const { kubeconfig } = await getDeliveryTargetSecrets({ targetId: target.id });
  const rendered = await renderTargetResources({ targetId: target.id });

  // Someone is waiting for the diff: a few quick retries, not the apply's patient backoff.
  const { diffs } = await diffResources({
    kubeconfig: kubeconfig!,
    resources: asClusterResources(rendered.resources),
    retry: { attempts: 3, maxDelayMs: 1_000 },
  });
  const byKey = new Map(rendered.resources.map((resource, index) => [resourceKey(resource), { resource, index }]));
  const changes: PlanChange[] = [];
  const failures: { diff: ResourceDiff; index: number }[] = [];
  for (const diff of diffs) {
    const entry = byKey.get(refKey(diff.ref));
    if (!entry) throw new Error(`the dry run answered for ${refKey(diff.ref)}, which was not sent`);
    const ref = refOfResource(entry.resource);
    if (diff.error) {
      const definedBy = diff.error.kind === "missing-kind" ? definitionOf(rendered.resources, entry.resource) : null;
      if (definedBy) {
        // A kind the plan itself installs cannot be dry-run before its definition exists; the
        // apply creates the definition first, waits until the kind is served, and the cluster
        // validates it then.
        const by = `${definedBy.kind} ${definedBy.metadata.name}`;
        const gatekeeper = definedBy.kind === "ConstraintTemplate" ? " (Gatekeeper defines the kind from the template, which takes a few seconds)" : "";
        changes.push({
          ref,
          change: "create",
          changes: [],
          text: unifiedYamlDiff(null, entry.resource),
          note: `Its kind is defined by ${by}, which this plan creates first${gatekeeper}; the apply waits for it, and the cluster validates it then.`,
        });
        continue;
      }
      failures.push({ diff, index: entry.index });
      continue;
    }
    changes.push({
      ref,
      change: diff.change === "none" ? "unchanged" : diff.change === "create" ? "create" : "update",
      changes: diff.changes,
      text: diff.text,
      note: null,
    });
  }
  if (failures.length > 0) {
    const first = failures[0]!;
    throw clusterFailure(first.diff.error!, {
      action: "The dry run",
      ref: first.diff.ref,
      index: first.index,
      failures: failures.map((f) => ({ resource: f.diff.ref, error: f.diff.error })),
    });
  }

  // The HTTPRoutes the Airlock policies attach to are the application's, not rendered here: the plan says
  // plainly when one is missing (or the Gateway API is not installed), since the policy then protects nothing.
  const routes = await checkRouteAttachments({
    kubeconfig: kubeconfig!,
    resources: asClusterResources(rendered.resources),
    retry: { attempts: 3, maxDelayMs: 1_000 },
  });
  const notes = [
    ...routes
      .filter((route) => route.state !== "present")
      .map((route) => ({
        application: route.application ?? "",
        format: "airlock",
        message: route.message!,
        route: { namespace: route.namespace, name: route.name, state: route.state },
      })),
    ...rendered.notes,
  ];

  return db.$transaction(async (tx) => {
    const plan = await tx.kubernetesPlan.create({
      data: {
        targetId: target.id,
        renderedHash: rendered.renderedHash,
        sources: rendered.sources as unknown as Prisma.InputJsonValue,
        resources: rendered.resources as unknown as Prisma.InputJsonValue,
        changes: changes as unknown as Prisma.InputJsonValue,
        notes: notes as unknown as Prisma.InputJsonValue,
        excluded: rendered.excluded as unknown as Prisma.InputJsonValue,
        createdById: actor.user.id,
      },
      select: planSelect,
    });
    await recordAuditEvent(tx, ctx, {
      action: "delivery.kubernetes.plan",
      target: { type: "delivery-target", id: target.id },
      summary: {
        planId: plan.id,
        renderedHash: rendered.renderedHash,
        versions: auditSources(rendered.sources),
        changes: { create: count(changes, "create"), update: count(changes, "update"), unchanged: count(changes, "unchanged") },
      },
    });
    return toPlanView(plan, true);
  });
}

function count(changes: PlanChange[], change: PlanChange["change"]) {
  return changes.filter((c) => c.change === change).length;
}
