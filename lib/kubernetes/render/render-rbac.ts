// RBAC suggestions. Per namespace that receives Rampart resources: Rampart's
// service account may manage them (server-side apply needs get/list/watch/
// create/patch; delete for resources it stops rendering), the owning teams may
// read them, and only the security team may edit them. Once per cluster
// (renderClusterRbac): a ClusterRole for the cluster-scoped kinds Rampart
// renders (its CRD, Kyverno's ClusterPolicy, Gatekeeper's ConstraintTemplate
// and constraint), changeable only by name, and read access for Kyverno's
// reports controller to the kinds the ClusterPolicy checks (aggregated into
// Kyverno's own ClusterRole by its label), so background scans can report.
// Nobody else gets write access through these roles; cluster-admin remains
// cluster-admin, which the admission policies (Kyverno/Gatekeeper) cover.

import { groupOf } from "./apply-order";
import { rampartLabels, type KubernetesResource } from "./kubernetes-resource";
import { RAMPART_POLICY } from "./render-crd";

export interface RenderRbacOptions {
  namespace: string;
  /** Rampart's service account (the portal's delivery identity). */
  serviceAccount: { name: string; namespace: string };
  /** Groups (as the cluster's authenticator names them) of the teams owning the applications: read only. */
  viewerGroups: string[];
  /** Groups allowed to edit policy resources by hand (the security team); empty: only Rampart writes. */
  editorGroups: string[];
  /** Include the Airlock kinds. */
  airlock: boolean;
}

export const AIRLOCK_RESOURCES = [
  "contentsecuritypolicies",
  "denyrules",
  "limits",
  "parsers",
  "headerrewrites",
  "apiprotections",
  "openapis",
  "jwts",
  "jwks",
  "accesscontrolpolicies",
];

export function renderRbac(options: RenderRbacOptions): KubernetesResource[] {
  const rules = [
    { apiGroups: [RAMPART_POLICY.group], resources: [RAMPART_POLICY.plural] },
    ...(options.airlock ? [{ apiGroups: ["microgateway.airlock.com"], resources: AIRLOCK_RESOURCES }] : []),
  ];
  const metadata = (name: string) => ({ name, namespace: options.namespace, labels: rampartLabels(), annotations: {} });
  const role = (name: string, verbs: string[]): KubernetesResource => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: metadata(name),
    rules: rules.map((rule) => ({ ...rule, verbs })),
  });
  const binding = (name: string, roleName: string, subjects: Record<string, string>[]): KubernetesResource => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: metadata(name),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: roleName },
    subjects,
  });
  const group = (name: string) => ({ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name });

  const managerRole = role("rampart-policy-manager", ["get", "list", "watch", "create", "update", "patch", "delete"]);
  const managerRules = managerRole.rules as Record<string, unknown>[];
  // The proxy's Kubernetes source reports what it enforces in status.
  managerRules.push({ apiGroups: [RAMPART_POLICY.group], resources: [`${RAMPART_POLICY.plural}/status`], verbs: ["get", "update", "patch"] });
  if (options.airlock) {
    // The Airlock export carries the OpenAPI document in a ConfigMap and inline key sets in a Secret. RBAC cannot
    // narrow create by name or label, so this is namespace-wide: keep Rampart's namespaces for policy alone.
    managerRules.push({ apiGroups: [""], resources: ["configmaps", "secrets"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] });
    // A plan checks that the HTTPRoute the policies attach to exists (lib/kubernetes/cluster/check-route-attachments.ts): read only.
    managerRules.push({ apiGroups: ["gateway.networking.k8s.io"], resources: ["httproutes"], verbs: ["get"] });
  }
  const resources: KubernetesResource[] = [
    managerRole,
    binding("rampart-policy-manager", "rampart-policy-manager", [
      { kind: "ServiceAccount", name: options.serviceAccount.name, namespace: options.serviceAccount.namespace },
    ]),
    role("rampart-policy-viewer", ["get", "list", "watch"]),
  ];
  if (options.viewerGroups.length > 0) {
    resources.push(binding("rampart-policy-viewer", "rampart-policy-viewer", [...options.viewerGroups].sort().map(group)));
  }
  if (options.editorGroups.length > 0) {
    resources.push(
      role("rampart-policy-editor", ["get", "list", "watch", "update", "patch"]),
      binding("rampart-policy-editor", "rampart-policy-editor", [...options.editorGroups].sort().map(group)),
    );
  }
  return resources;
}

/** The plural (RBAC resource) of each cluster-scoped kind Rampart renders; Gatekeeper's constraint plural is its kind, lower-cased. */
function pluralOf(resource: KubernetesResource): string {
  const known: Record<string, string> = {
    CustomResourceDefinition: "customresourcedefinitions",
    ClusterPolicy: "clusterpolicies",
    ConstraintTemplate: "constrainttemplates",
  };
  const plural = known[resource.kind] ?? (groupOf(resource.apiVersion) === "constraints.gatekeeper.sh" ? resource.kind.toLowerCase() : undefined);
  if (!plural) throw new Error(`no RBAC resource known for cluster-scoped ${resource.apiVersion} ${resource.kind}`);
  return plural;
}

export interface RenderClusterRbacOptions {
  serviceAccount: { name: string; namespace: string };
  /** The cluster-scoped resources Rampart renders for the target (CRD, ClusterPolicy, ConstraintTemplate, constraint). */
  clusterScoped: KubernetesResource[];
  /** The kinds the Kyverno ClusterPolicy matches, for Kyverno's reports controller; empty: no Kyverno. */
  kyvernoReads: { apiGroup: string; resources: string[] }[];
}

export const KYVERNO_REPORTS_AGGREGATION_LABEL = "rbac.kyverno.io/aggregate-to-reports-controller";

export function renderClusterRbac(options: RenderClusterRbacOptions): KubernetesResource[] {
  const metadata = (name: string, labels: Record<string, string> = {}) => ({ name, labels: rampartLabels(labels), annotations: {} });
  const resources: KubernetesResource[] = [];
  if (options.clusterScoped.length > 0) {
    const byResource = new Map<string, { apiGroup: string; resource: string; names: string[] }>();
    for (const resource of options.clusterScoped) {
      const key = `${groupOf(resource.apiVersion)}/${pluralOf(resource)}`;
      const entry = byResource.get(key) ?? { apiGroup: groupOf(resource.apiVersion), resource: pluralOf(resource), names: [] };
      entry.names.push(resource.metadata.name);
      byResource.set(key, entry);
    }
    const entries = [...byResource.values()].sort((a, b) => (a.apiGroup + a.resource < b.apiGroup + b.resource ? -1 : 1));
    // create, list and watch cannot be narrowed to names (RBAC checks them before a name exists);
    // every change to an existing object is limited to the names Rampart renders.
    const rules = entries.flatMap((entry) => [
      { apiGroups: [entry.apiGroup], resources: [entry.resource], verbs: ["get", "list", "watch", "create"] },
      { apiGroups: [entry.apiGroup], resources: [entry.resource], resourceNames: [...entry.names].sort(), verbs: ["update", "patch", "delete"] },
    ]);
    resources.push(
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: metadata("rampart:cluster-policy-manager"), rules },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: metadata("rampart:cluster-policy-manager"),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "rampart:cluster-policy-manager" },
        subjects: [{ kind: "ServiceAccount", name: options.serviceAccount.name, namespace: options.serviceAccount.namespace }],
      },
    );
  }
  if (options.kyvernoReads.length > 0) {
    resources.push({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      // Aggregated into Kyverno's kyverno:reports-controller ClusterRole by this label: no binding of our own.
      metadata: metadata("rampart:kyverno-reports-controller", { [KYVERNO_REPORTS_AGGREGATION_LABEL]: "true" }),
      rules: options.kyvernoReads.map((read) => ({ apiGroups: [read.apiGroup], resources: [...read.resources], verbs: ["get", "list", "watch"] })),
    });
  }
  return resources;
}
