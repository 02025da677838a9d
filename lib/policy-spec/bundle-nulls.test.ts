import { describe, expect, it } from "vitest";
import { bundleSchema, canonicalJson } from "@/lib/policy-spec";
import { buildBundle } from "@/proxy/test-support/bundle-fixtures";
import { omitBundleNulls, restoreBundleNulls } from "./bundle-nulls";

describe("a bundle without its nulls", () => {
  const bundle = buildBundle({});
  bundle.openapi = {
    mode: "block",
    components: null,
    operations: [
      {
        method: "GET",
        template: "/x",
        path: { kind: "exact", value: "/x", caseInsensitive: false },
        operationId: null,
        parameters: [],
        requestBody: { required: false, content: { "application/json": { type: "object", default: null } } },
      },
    ],
  };

  it("leaves out the nulls of nullable fields only, keeping nulls that are data", () => {
    const stripped = omitBundleNulls(bundle) as any;
    expect(canonicalJson(bundle)).toContain("null");
    expect(stripped.cors).toBeUndefined();
    expect(stripped.openapi.components).toBeUndefined();
    expect(stripped.openapi.operations[0].operationId).toBeUndefined();
    // Free-form content (an OpenAPI schema's default: null) is data.
    expect(stripped.openapi.operations[0].requestBody.content["application/json"]).toEqual({ type: "object", default: null });
  });

  it("round-trips to the same canonical bundle, so the content hash still verifies", () => {
    const restored = restoreBundleNulls(JSON.parse(JSON.stringify(omitBundleNulls(bundle))));
    expect(canonicalJson(restored)).toBe(canonicalJson(bundle));
    expect(bundleSchema.safeParse(restored).success).toBe(true);
  });
});
