import { describe, expect, it } from "vitest";
import { manifestSchemaErrors } from "./__fixtures__/manifest-schemas";
import { renderRbac } from "./render-rbac";

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
    expect(manager.rules[0]).toEqual({ apiGroups: ["rampart.dev"], resources: ["rampartpolicies"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] });
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
