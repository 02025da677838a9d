// The one entry point delivery uses: target settings + applications (each with
// its effective policy and compiled bundle) + the baseline → every resource to
// apply or commit, in an order a cluster accepts: definitions first
// (CustomResourceDefinition, ConstraintTemplate), then cluster-wide admission
// policies, then per-namespace RBAC, then each application's resources with
// referenced objects before the ones that reference them.

import type { BaselinePolicy, Bundle, EffectivePolicy } from "@/lib/policy-spec";
import type { KubernetesResource } from "./kubernetes-resource";
import { renderAirlock } from "./render-airlock";
import { GUARDED_KINDS } from "./baseline-requirements";
import { rampartPolicyCrd } from "./render-crd";
import { renderGatekeeperConstraint, renderGatekeeperTemplate } from "./render-gatekeeper";
import { renderKyvernoPolicy } from "./render-kyverno";
import { renderRampartPolicy } from "./render-rampart-policy";
import { renderClusterRbac, renderRbac } from "./render-rbac";

export const KUBERNETES_FORMATS = ["rampart", "airlock", "kyverno", "gatekeeper", "rbac"] as const;
export type KubernetesFormat = (typeof KUBERNETES_FORMATS)[number];

export interface KubernetesTargetSettings {
  /** Namespace for applications that do not name their own. */
  namespace: string;
  formats: KubernetesFormat[];
  /** Render the RampartPolicy CRD too (off when the platform team installs it from deploy/crds). Default true. */
  includeCrd?: boolean;
  /** Rampart's service account, bound by the RBAC suggestions. */
  serviceAccount?: { name: string; namespace: string };
  /** Groups allowed to edit policy resources by hand (the security team). */
  editorGroups?: string[];
}

export interface KubernetesApplicationInput {
  id: string;
  /** The application's slug. */
  name: string;
  namespace?: string;
  effective: EffectivePolicy;
  bundle: Bundle;
  /** Airlock: the HTTPRoute to attach to (default: the application's name). */
  httpRouteName?: string;
  /** RBAC: the owning team's groups (read access). */
  teamGroups?: string[];
}

export interface RenderApplicationResourcesOptions {
  target: KubernetesTargetSettings;
  applications: KubernetesApplicationInput[];
  /** Needed for kyverno and gatekeeper. */
  baseline?: BaselinePolicy;
}

export interface RenderedResources {
  resources: KubernetesResource[];
  /** What a format could not express, per application (the Airlock export's gaps). */
  notes: { application: string; format: KubernetesFormat; message: string }[];
}

export function renderApplicationResources({ target, applications, baseline }: RenderApplicationResourcesOptions): RenderedResources {
  const formats = new Set(target.formats);
  for (const format of formats) {
    // Unknown formats are refused, never skipped: a target that asked for something must get it or an error.
    if (!KUBERNETES_FORMATS.includes(format)) throw new Error(`unknown Kubernetes format "${String(format)}"`);
  }
  if ((formats.has("kyverno") || formats.has("gatekeeper")) && !baseline) {
    throw new Error("the kyverno and gatekeeper formats are generated from the baseline; pass it");
  }
  if (formats.has("rbac") && !target.serviceAccount) throw new Error("the rbac format needs target.serviceAccount");

  const definitions: KubernetesResource[] = [];
  const clusterPolicies: KubernetesResource[] = [];
  if (formats.has("rampart") && target.includeCrd !== false) definitions.push(rampartPolicyCrd());
  if (formats.has("gatekeeper")) {
    definitions.push(renderGatekeeperTemplate());
    clusterPolicies.push(renderGatekeeperConstraint(baseline!));
  }
  if (formats.has("kyverno")) clusterPolicies.push(renderKyvernoPolicy(baseline!));

  const notes: RenderedResources["notes"] = [];
  const perApplication: KubernetesResource[] = [];
  const namespaces = new Map<string, Set<string>>();
  for (const application of [...applications].sort((a, b) => a.name.localeCompare(b.name))) {
    const namespace = application.namespace ?? target.namespace;
    const groups = namespaces.get(namespace) ?? new Set<string>();
    for (const group of application.teamGroups ?? []) groups.add(group);
    namespaces.set(namespace, groups);
    if (formats.has("rampart")) {
      perApplication.push(renderRampartPolicy({ applicationId: application.id, application: application.name, namespace, bundle: application.bundle }));
    }
    if (formats.has("airlock")) {
      const exported = renderAirlock({
        application: application.name,
        namespace,
        bundle: application.bundle,
        effective: application.effective,
        httpRouteName: application.httpRouteName,
      });
      perApplication.push(...exported.resources);
      notes.push(...exported.unmapped.map((message) => ({ application: application.name, format: "airlock" as const, message })));
    }
  }

  const rbac = formats.has("rbac")
    ? [...namespaces.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .flatMap(([namespace, groups]) =>
          renderRbac({
            namespace,
            serviceAccount: target.serviceAccount!,
            viewerGroups: [...groups],
            editorGroups: target.editorGroups ?? [],
            airlock: formats.has("airlock"),
          }),
        )
    : [];

  const clusterRbac = formats.has("rbac")
    ? renderClusterRbac({
        serviceAccount: target.serviceAccount!,
        clusterScoped: [...definitions, ...clusterPolicies],
        // What the ClusterPolicy checks, for Kyverno's background scans.
        kyvernoReads: formats.has("kyverno")
          ? [...new Set(GUARDED_KINDS.map((k) => k.group))].map((group) => ({
              apiGroup: group,
              resources: GUARDED_KINDS.filter((k) => k.group === group).map((k) => k.resource),
            }))
          : [],
      })
    : [];

  const resources = [...definitions, ...clusterPolicies, ...clusterRbac, ...rbac, ...perApplication];
  assertUnique(resources);
  return { resources, notes };
}

/** Two applications rendering the same object would overwrite each other on apply; refuse instead. */
function assertUnique(resources: KubernetesResource[]) {
  const seen = new Set<string>();
  for (const resource of resources) {
    const key = `${resource.apiVersion}/${resource.kind}/${resource.metadata.namespace ?? ""}/${resource.metadata.name}`;
    if (seen.has(key)) throw new Error(`two resources render as ${key}`);
    seen.add(key);
  }
}
