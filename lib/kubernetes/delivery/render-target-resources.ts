import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db/client";
import { deliverableApplicationSelect, publishedBaselineDocument, resolveDeliverableApplications } from "@/lib/delivery/resolve-deliverable-applications";
import { AppError } from "@/lib/errors/app-error";
import { canonicalJson } from "@/lib/policy-spec";
import type { KubernetesResource } from "@/lib/kubernetes/render/kubernetes-resource";
import {
  KUBERNETES_FORMATS,
  renderApplicationResources,
  type KubernetesApplicationInput,
  type KubernetesFormat,
} from "@/lib/kubernetes/render/render-application-resources";
import type { DeliverySource, ExcludedApplication } from "./kubernetes-delivery-schemas";

/**
 * A Git target has no cluster settings of its own (lib/delivery keeps namespaces and
 * formats for Kubernetes targets only), so its export renders what a cluster of the same
 * applications would get without RBAC (which needs the cluster's service account), into
 * this namespace.
 */
export const GIT_TARGET_NAMESPACE = "rampart";
export const GIT_TARGET_FORMATS: KubernetesFormat[] = ["rampart", "airlock", "kyverno", "gatekeeper"];
/** The service account the RBAC suggestions bind: Rampart's own, in the target's first namespace. */
export const RAMPART_SERVICE_ACCOUNT = "rampart";

export type RenderedTarget = {
  target: { id: string; name: string; kind: "kubernetes" | "git"; namespaces: string[]; formats: KubernetesFormat[] };
  resources: KubernetesResource[];
  /** sha256 of the canonical JSON of the resources: equal hashes, equal resources. */
  renderedHash: string;
  sources: DeliverySource[];
  excluded: ExcludedApplication[];
  notes: { application: string; format: string; message: string }[];
};

/** Key of a resource in a cluster: one object per apiVersion/kind/namespace/name. */
export function resourceKey(resource: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): string {
  return `${resource.apiVersion}/${resource.kind}/${resource.metadata.namespace ?? ""}/${resource.metadata.name}`;
}

export function renderedHashOf(resources: readonly KubernetesResource[]): string {
  return `sha256:${createHash("sha256").update(canonicalJson(resources), "utf8").digest("hex")}`;
}

/**
 * Every resource a Kubernetes or Git target should hold now, rendered from *published*
 * policy only: the applications lib/delivery/resolve-deliverable-applications.ts finds
 * deliverable (the rule proxies follow too), each with its effective policy and bundle;
 * plus the baseline's admission policies when the target renders Kyverno or Gatekeeper.
 * An application left out is listed with the reason.
 */
export async function renderTargetResources({ targetId }: { targetId: string }): Promise<RenderedTarget> {
  const now = new Date();
  const target = await db.deliveryTarget.findUnique({
    where: { id: targetId },
    select: {
      id: true,
      kind: true,
      name: true,
      environment: true,
      namespaces: true,
      renders: true,
      revokedAt: true,
      applications: {
        select: { application: { select: { ...deliverableApplicationSelect, team: { select: { slug: true } } } } },
      },
    },
  });
  if (!target) throw new AppError("NOT_FOUND", "No such delivery target.");
  if (target.kind === "proxy") throw new AppError("CONFLICT", "A proxy target receives signed bundles, not Kubernetes resources.");
  if (target.revokedAt) throw new AppError("CONFLICT", "The target is revoked; nothing is delivered to it.");

  const namespaces = target.kind === "kubernetes" ? target.namespaces : [GIT_TARGET_NAMESPACE];
  const formats = target.kind === "kubernetes" ? parseFormats(target.renders) : GIT_TARGET_FORMATS;
  if (namespaces.length === 0) throw new AppError("CONFLICT", "The target names no namespace to deliver to; update the target.");

  // Sorted by slug: the rendering, and so its hash, does not depend on the order of the target's rows.
  const applications = target.applications.map((a) => a.application).sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  const resolved = await resolveDeliverableApplications({ environment: target.environment, applications, now });
  const baseline = resolved.baseline;
  // The admission policies are rendered from the baseline itself: one that no longer validates fails the whole target.
  const baselineDocument = baseline ? await publishedBaselineDocument(baseline.version) : null;

  const inputs: KubernetesApplicationInput[] = resolved.deliverable.map(({ application, effective, bundle }) => ({
    id: application.id,
    name: application.slug,
    effective,
    bundle,
    teamGroups: [`rampart:team:${application.team.slug}`],
  }));
  const sources: DeliverySource[] = resolved.deliverable.map(({ application, baseline, applicationVersion, bundle }) => ({
    applicationId: application.id,
    slug: application.slug,
    baseline: { id: baseline.version.id, number: baseline.version.number, name: baseline.policy.name, environment: baseline.policy.environment },
    applicationVersion,
    contentHash: bundle.contentHash,
  }));
  if ((formats.includes("kyverno") || formats.includes("gatekeeper")) && !baseline) {
    throw new AppError("CONFLICT", "The target renders admission policies from the baseline, and no baseline is published yet.");
  }

  // One rendering per namespace; what they share (definitions, cluster-wide admission
  // policies) is rendered identically each time and kept once.
  const resources: KubernetesResource[] = [];
  const notes: RenderedTarget["notes"] = [];
  const seen = new Set<string>();
  for (const namespace of namespaces) {
    const rendered = renderApplicationResources({
      target: {
        namespace,
        formats,
        serviceAccount: { name: RAMPART_SERVICE_ACCOUNT, namespace: namespaces[0]! },
      },
      applications: inputs,
      ...(baselineDocument ? { baseline: baselineDocument } : {}),
    });
    for (const resource of rendered.resources) {
      const key = resourceKey(resource);
      if (seen.has(key)) continue;
      seen.add(key);
      resources.push(resource);
    }
    if (namespace === namespaces[0]) notes.push(...rendered.notes);
  }

  return {
    target: { id: target.id, name: target.name, kind: target.kind, namespaces, formats },
    resources,
    renderedHash: renderedHashOf(resources),
    sources,
    excluded: resolved.excluded,
    notes,
  };
}

function parseFormats(renders: string[]): KubernetesFormat[] {
  const unknown = renders.filter((r) => !(KUBERNETES_FORMATS as readonly string[]).includes(r));
  // Fail closed: a format this portal cannot render is never silently skipped.
  if (unknown.length > 0) throw new AppError("CONFLICT", `The target asks for formats this portal cannot render: ${unknown.join(", ")}.`);
  if (renders.length === 0) throw new AppError("CONFLICT", "The target renders nothing; choose at least one format.");
  return renders as KubernetesFormat[];
}
