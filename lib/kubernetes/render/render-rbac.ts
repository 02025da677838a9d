// RBAC suggestions for a namespace that receives Rampart resources: Rampart's
// service account may manage them (server-side apply needs get/list/watch/
// create/patch; delete for resources it stops rendering), the owning teams may
// read them, and only the security team may edit them. Nobody else gets write
// access through these roles; cluster-admin remains cluster-admin, which the
// admission policies (Kyverno/Gatekeeper) cover.

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

const AIRLOCK_RESOURCES = [
  "contentsecuritypolicies", "denyrules", "limits", "parsers", "headerrewrites", "apiprotections", "openapis", "jwts", "jwks", "accesscontrolpolicies",
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
