import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db/client";
import { AppError, isAppError } from "@/lib/errors/app-error";
import { hasFineGrainedRules } from "@/lib/policies/has-fine-grained-rules";
import { findBaselineInForce } from "@/lib/policies/find-published-baselines";
import { storedApplicationPolicy } from "@/lib/policies/stored-policy-document";
import { canonicalJson, compilePolicy, mergePolicies } from "@/lib/policy-spec";
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
 * policy only: per application of the target, the baseline in force for the target's
 * environment merged with the application's published version and compiled; plus the
 * baseline's admission policies when the target renders Kyverno or Gatekeeper. An
 * application that cannot be delivered (archived, no baseline, internet-facing without
 * fine-grained policy or accepted risk, a policy that no longer merges) is left out with
 * the reason, as for proxies (lib/delivery/build-delivery-set.ts).
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
        select: { application: { select: { id: true, slug: true, exposure: true, archivedAt: true, team: { select: { slug: true } } } } },
      },
    },
  });
  if (!target) throw new AppError("NOT_FOUND", "No such delivery target.");
  if (target.kind === "proxy") throw new AppError("CONFLICT", "A proxy target receives signed bundles, not Kubernetes resources.");
  if (target.revokedAt) throw new AppError("CONFLICT", "The target is revoked; nothing is delivered to it.");

  const namespaces = target.kind === "kubernetes" ? target.namespaces : [GIT_TARGET_NAMESPACE];
  const formats = target.kind === "kubernetes" ? parseFormats(target.renders) : GIT_TARGET_FORMATS;
  if (namespaces.length === 0) throw new AppError("CONFLICT", "The target names no namespace to deliver to; update the target.");

  const baseline = await findBaselineInForce({ environment: target.environment });
  const applications = target.applications.map((a) => a.application).sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  const [appPolicies, acceptances] = await Promise.all([
    db.policy.findMany({
      where: { applicationId: { in: applications.map((a) => a.id) } },
      select: { applicationId: true, publishedVersion: { select: { id: true, number: true, content: true } } },
    }),
    db.riskAcceptance.findMany({
      where: { applicationId: { in: applications.map((a) => a.id) }, revokedAt: null, expiresAt: { gt: now } },
      select: { applicationId: true },
    }),
  ]);
  const published = new Map(appPolicies.map((p) => [p.applicationId!, p.publishedVersion]));
  const accepted = new Set(acceptances.map((a) => a.applicationId));

  const inputs: KubernetesApplicationInput[] = [];
  const sources: DeliverySource[] = [];
  const excluded: ExcludedApplication[] = [];
  for (const application of applications) {
    const leaveOut = (reason: string) => excluded.push({ applicationId: application.id, slug: application.slug, reason });
    if (application.archivedAt) {
      leaveOut("The application is archived.");
      continue;
    }
    if (!baseline) {
      leaveOut(`No baseline is published${target.environment ? ` for ${target.environment} or for every environment` : ""}.`);
      continue;
    }
    const version = published.get(application.id) ?? null;
    try {
      const document = version ? storedApplicationPolicy(version) : null;
      if (application.exposure === "internet" && !hasFineGrainedRules(document) && !accepted.has(application.id)) {
        leaveOut(`${application.slug} is exposed to the internet and has no published fine-grained policy or accepted risk.`);
        continue;
      }
      const merged = mergePolicies(baseline.document, document, { now, versions: { baseline: baseline.version.id, application: version?.id } });
      if (!merged.ok) {
        leaveOut(`Version ${version?.number} of the application's policy loosens the baseline in force (${merged.errors.map((e) => e.message).join("; ")}).`);
        continue;
      }
      const bundle = compilePolicy(merged.effective);
      inputs.push({ id: application.id, name: application.slug, effective: merged.effective, bundle, teamGroups: [`rampart:team:${application.team.slug}`] });
      sources.push({
        applicationId: application.id,
        slug: application.slug,
        baseline: { id: baseline.version.id, number: baseline.version.number, name: baseline.policy.name, environment: baseline.policy.environment },
        applicationVersion: version ? { id: version.id, number: version.number } : null,
        contentHash: bundle.contentHash,
      });
    } catch (error) {
      // A stored version that no longer validates is its owner's to fix, not a reason to fail the whole target.
      if (isAppError(error) && error.code === "CONFLICT") {
        leaveOut(error.message);
        continue;
      }
      throw error;
    }
  }

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
      ...(baseline ? { baseline: baseline.document } : {}),
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
    excluded,
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
