import { describe, expect, it } from "vitest";
import { examplePaymentsApi } from "./__fixtures__/render-fixtures";
import { manifestSchemaErrors } from "./__fixtures__/manifest-schemas";
import { FIELD_MANAGER, MANAGED_BY, MANAGED_BY_LABEL } from "./kubernetes-resource";
import { KUBERNETES_FORMATS, renderApplicationResources, type KubernetesApplicationInput } from "./render-application-resources";

const payments = examplePaymentsApi("baseline-strict.yaml");
const applications: KubernetesApplicationInput[] = [
  { id: payments.id, name: payments.name, namespace: "payments", effective: payments.effective, bundle: payments.bundle, teamGroups: ["team-payments"] },
  { id: "app_2", name: "payments-worker", effective: payments.effective, bundle: payments.bundle, teamGroups: ["team-payments"] },
];
const target = {
  namespace: "shared",
  formats: [...KUBERNETES_FORMATS],
  serviceAccount: { name: "rampart-portal", namespace: "rampart" },
  editorGroups: ["security-team"],
};

describe("renderApplicationResources", () => {
  const { resources, notes } = renderApplicationResources({ target, applications, baseline: payments.baseline });

  it("renders every format, every resource valid against its published schema and labelled as Rampart's", () => {
    expect(FIELD_MANAGER).toBe("rampart");
    for (const resource of resources) {
      expect(manifestSchemaErrors(resource), `${resource.kind}/${resource.metadata.name}`).toEqual([]);
      expect(resource.metadata.labels[MANAGED_BY_LABEL]).toBe(MANAGED_BY);
    }
    const kinds = new Set(resources.map((resource) => resource.kind));
    for (const kind of [
      "CustomResourceDefinition",
      "ConstraintTemplate",
      "RampartBaseline",
      "ClusterPolicy",
      "Role",
      "RoleBinding",
      "RampartPolicy",
      "DenyRules",
      "AccessControlPolicy",
    ]) {
      expect(kinds.has(kind), kind).toBe(true);
    }
  });

  it("orders definitions first, then cluster policies, then RBAC, then applications", () => {
    const index = (kind: string) => resources.findIndex((resource) => resource.kind === kind);
    expect(index("CustomResourceDefinition")).toBe(0);
    expect(index("ConstraintTemplate")).toBe(1);
    expect(index("ConstraintTemplate")).toBeLessThan(index("RampartBaseline"));
    expect(index("ClusterPolicy")).toBeLessThan(index("Role"));
    expect(index("RoleBinding")).toBeLessThan(index("RampartPolicy"));
    // Referenced before referencing: the ConfigMap before the OpenAPI resource, JWKS before JWT.
    expect(index("ConfigMap")).toBeLessThan(index("OpenAPI"));
    expect(index("JWKS")).toBeLessThan(index("JWT"));
  });

  it("places each application in its namespace (or the target's) and gives each namespace RBAC", () => {
    const policies = resources
      .filter((resource) => resource.kind === "RampartPolicy")
      .map((resource) => `${resource.metadata.namespace}/${resource.metadata.name}`);
    expect(policies).toEqual(["payments/payments-api", "shared/payments-worker"]);
    const managers = resources.filter((resource) => resource.kind === "Role" && resource.metadata.name === "rampart-policy-manager");
    expect(managers.map((role) => role.metadata.namespace)).toEqual(["payments", "shared"]);
  });

  it("passes on what the Airlock export cannot express, per application", () => {
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((note) => note.format === "airlock" && ["payments-api", "payments-worker"].includes(note.application))).toBe(true);
  });

  it("is deterministic", () => {
    expect(renderApplicationResources({ target, applications: [...applications].reverse(), baseline: payments.baseline }).resources).toEqual(resources);
  });

  it("renders only the formats asked for, and leaves out the CRD when the platform installs it", () => {
    const only = renderApplicationResources({ target: { namespace: "shared", formats: ["rampart"], includeCrd: false }, applications });
    expect(only.resources.map((resource) => resource.kind)).toEqual(["RampartPolicy", "RampartPolicy"]);
  });

  it("refuses unknown formats, missing inputs and colliding resources instead of rendering less", () => {
    expect(() => renderApplicationResources({ target: { namespace: "x", formats: ["helm" as never] }, applications })).toThrow(
      /unknown Kubernetes format "helm"/,
    );
    expect(() => renderApplicationResources({ target: { namespace: "x", formats: ["kyverno"] }, applications })).toThrow(/baseline/);
    expect(() => renderApplicationResources({ target: { namespace: "x", formats: ["rbac"] }, applications })).toThrow(/serviceAccount/);
    expect(() =>
      renderApplicationResources({ target: { namespace: "x", formats: ["rampart"] }, applications: [applications[1]!, { ...applications[1]!, id: "other" }] }),
    ).toThrow(/two resources render as rampart.dev\/v1alpha1\/RampartPolicy\/x\/payments-worker/);
  });
});
