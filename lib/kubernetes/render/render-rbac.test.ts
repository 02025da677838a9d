import { describe, expect, it } from "vitest";
import { manifestSchemaErrors } from "./__fixtures__/manifest-schemas";
import { examplePaymentsApi } from "./__fixtures__/render-fixtures";
import { renderApplicationResources } from "./render-application-resources";
import { KYVERNO_REPORTS_AGGREGATION_LABEL, renderRbac } from "./render-rbac";

const options = {
  namespace: "payments",
  serviceAccount: { name: "rampart-portal", namespace: "rampart" },
  viewerGroups: ["team-payments"],
  editorGroups: ["security-team"],
  airlock: true,
};

describe("renderRbac", () => {
  it("renders valid Roles and RoleBindings in the namespace", () => {
    const resources = renderRbac(options);
    expect(resources.map((resource) => `${resource.kind}/${resource.metadata.name}`)).toEqual([
      "Role/rampart-policy-manager",
      "RoleBinding/rampart-policy-manager",
      "Role/rampart-policy-viewer",
      "RoleBinding/rampart-policy-viewer",
      "Role/rampart-policy-editor",
      "RoleBinding/rampart-policy-editor",
    ]);
    for (const resource of resources) {
      expect(manifestSchemaErrors(resource)).toEqual([]);
      expect(resource.metadata.namespace).toBe("payments");
    }
  });

  it("lets only Rampart's service account create and delete, teams read, and the security team edit", () => {
    const [manager, managerBinding, viewer, viewerBinding, editor, editorBinding] = renderRbac(options) as any[];
    expect(managerBinding.subjects).toEqual([{ kind: "ServiceAccount", name: "rampart-portal", namespace: "rampart" }]);
    expect(manager.rules[0]).toEqual({
      apiGroups: ["rampart.dev"],
      resources: ["rampartpolicies"],
      verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
    });
    expect(manager.rules[1].resources).toContain("denyrules");
    expect(viewer.rules.every((rule: any) => rule.verbs.every((verb: string) => ["get", "list", "watch"].includes(verb)))).toBe(true);
    expect(viewerBinding.subjects).toEqual([{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "team-payments" }]);
    expect(editor.rules.flatMap((rule: any) => rule.verbs)).not.toContain("delete");
    expect(editor.rules.flatMap((rule: any) => rule.verbs)).not.toContain("create");
    expect(editorBinding.subjects).toEqual([{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "security-team" }]);
  });

  it("without editor groups nobody but Rampart writes, and without Airlock only Rampart's kind is covered", () => {
    const resources = renderRbac({ ...options, editorGroups: [], airlock: false }) as any[];
    expect(resources.map((resource) => resource.metadata.name)).not.toContain("rampart-policy-editor");
    expect(resources.flatMap((resource) => resource.rules ?? []).flatMap((rule: any) => rule.apiGroups)).not.toContain("microgateway.airlock.com");
  });
});

describe("renderClusterRbac (through renderApplicationResources)", () => {
  const payments = examplePaymentsApi();
  const { resources } = renderApplicationResources({
    target: {
      namespace: "payments",
      formats: ["rampart", "airlock", "kyverno", "gatekeeper", "rbac"],
      serviceAccount: { name: "rampart", namespace: "rampart" },
    },
    applications: [{ id: payments.id, name: payments.name, effective: payments.effective, bundle: payments.bundle }],
    baseline: payments.baseline,
  }) as { resources: any[] };
  const byName = (kind: string, name: string) => resources.find((r) => r.kind === kind && r.metadata.name === name);

  it("grants the cluster-scoped kinds Rampart renders, changeable only by name, to Rampart's service account", () => {
    const role = byName("ClusterRole", "rampart:cluster-policy-manager");
    const clusterScoped = resources.filter((r) => ["CustomResourceDefinition", "ClusterPolicy", "ConstraintTemplate", "RampartBaseline"].includes(r.kind));
    expect(clusterScoped).toHaveLength(4);
    for (const resource of clusterScoped) {
      const changes = role.rules.find((rule: any) => rule.resourceNames?.includes(resource.metadata.name));
      expect(changes, `${resource.kind} ${resource.metadata.name}`).toMatchObject({ verbs: ["update", "patch", "delete"] });
    }
    expect(role.rules.filter((rule: any) => !rule.resourceNames).flatMap((rule: any) => rule.verbs)).not.toContain("delete");
    expect(byName("ClusterRoleBinding", "rampart:cluster-policy-manager").subjects).toEqual([
      { kind: "ServiceAccount", name: "rampart", namespace: "rampart" },
    ]);
    for (const resource of resources.filter((r) => r.kind.startsWith("Cluster") && r.apiVersion.startsWith("rbac")))
      expect(manifestSchemaErrors(resource)).toEqual([]);
  });

  it("lets Kyverno's reports controller read the kinds the ClusterPolicy checks, through Kyverno's aggregation label", () => {
    const reads = byName("ClusterRole", "rampart:kyverno-reports-controller");
    expect(reads.metadata.labels[KYVERNO_REPORTS_AGGREGATION_LABEL]).toBe("true");
    expect(reads.rules.every((rule: any) => rule.verbs.join() === "get,list,watch")).toBe(true);
    const policy = resources.find((r) => r.kind === "ClusterPolicy");
    const matched = policy.spec.rules.flatMap((rule: any) => rule.match.any.flatMap((m: any) => m.resources.kinds));
    for (const kind of new Set<string>(matched)) {
      const [group] = kind.split("/");
      expect(
        reads.rules.some((rule: any) => rule.apiGroups.includes(group)),
        kind,
      ).toBe(true);
    }
  });
});
