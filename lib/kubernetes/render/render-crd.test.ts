import { describe, expect, it } from "vitest";
import { bundleSchema, restoreBundleNulls } from "@/lib/policy-spec";
import { examplePaymentsApi } from "./__fixtures__/render-fixtures";
import { manifestSchemaErrors } from "./__fixtures__/manifest-schemas";
import { structuralSchemaViolations } from "./check-structural-schema";
import { crdVersionSchema } from "./crd-schema-to-json-schema";
import { MANAGED_BY_LABEL } from "./kubernetes-resource";
import { RAMPART_POLICY, rampartPolicyCrd } from "./render-crd";
import { renderRampartPolicy } from "./render-rampart-policy";

describe("rampartPolicyCrd", () => {
  const crd = rampartPolicyCrd();

  it("is a valid apiextensions.k8s.io/v1 CustomResourceDefinition with the agreed names", () => {
    expect(manifestSchemaErrors(crd)).toEqual([]);
    expect(crd.metadata.name).toBe("rampartpolicies.rampart.dev");
    expect(crd.metadata.labels[MANAGED_BY_LABEL]).toBe("rampart");
    expect(crd.spec).toMatchObject({
      group: "rampart.dev",
      scope: "Namespaced",
      names: { kind: "RampartPolicy", plural: "rampartpolicies", singular: "rampartpolicy", shortNames: ["rpol"] },
      versions: [{ name: "v1alpha1", served: true, storage: true, subresources: { status: {} } }],
    });
  });

  it("has a structural schema", () => {
    expect(structuralSchemaViolations(crdVersionSchema(crd, "v1alpha1"))).toEqual([]);
  });

  it("describes every bundle field, so the API server prunes none of them", () => {
    const bundleNode = (crdVersionSchema(crd, "v1alpha1").properties as any).spec.properties.bundle;
    expect(Object.keys(bundleNode.properties).sort()).toEqual(Object.keys(bundleSchema.shape).sort());
    expect(bundleNode.required).toContain("contentHash");
  });
});

describe("RampartPolicy instances against the generated schema", () => {
  const app = examplePaymentsApi("baseline-strict.yaml");
  const resource = renderRampartPolicy({ applicationId: app.id, application: app.name, namespace: "payments", bundle: app.bundle });

  it("a rendered policy validates and carries the bundle without a null, unchanged once the nulls are put back", () => {
    expect(manifestSchemaErrors(resource)).toEqual([]);
    expect(resource).toMatchObject({
      apiVersion: RAMPART_POLICY.apiVersion,
      kind: "RampartPolicy",
      metadata: { name: "payments-api", namespace: "payments", labels: { [MANAGED_BY_LABEL]: "rampart", "rampart.dev/application": "payments-api" } },
    });
    // kubectl's client-side apply deletes a null field on update: the resource has none, and the CRD requires none.
    expect(JSON.stringify((resource.spec as any).bundle)).not.toContain("null");
    const restored = restoreBundleNulls((resource.spec as any).bundle);
    expect(restored).toEqual(app.bundle);
    expect(bundleSchema.safeParse(restored).success).toBe(true);
  });

  it("refuses a malformed bundle with the path of the field", () => {
    const broken = structuredClone(resource) as any;
    broken.spec.bundle.denyRules.sqli.level = "lenient";
    broken.spec.bundle.contentHash = "md5:abc";
    delete broken.spec.bundle.limits;
    const errors = manifestSchemaErrors(broken);
    expect(errors.some((error) => error.includes("/spec/bundle/denyRules/sqli/level"))).toBe(true);
    expect(errors.some((error) => error.includes("/spec/bundle/contentHash"))).toBe(true);
    expect(errors.some((error) => error.includes("limits"))).toBe(true);
  });

  it("refuses a path matcher whose fields do not fit its kind", () => {
    const broken = structuredClone(resource) as any;
    broken.spec.bundle.adminBlocking[0] = { kind: "regex", value: "/admin", caseInsensitive: true };
    expect(manifestSchemaErrors(broken).length).toBeGreaterThan(0);
  });
});
