import { describe, expect, it } from "vitest";
import { clusterFailure } from "./cluster-failure";

const ref = { apiVersion: "rampart.dev/v1alpha1", kind: "RampartPolicy", namespace: "payments", name: "payments-api" };

describe("clusterFailure", () => {
  it("turns a 422 into validation errors with the resource's index and the server's field paths", () => {
    const error = clusterFailure(
      {
        kind: "invalid",
        status: 422,
        message: "RampartPolicy payments/payments-api is invalid (422): spec.bundle.format: Unsupported value",
        causes: [{ field: "spec.bundle.format", reason: "FieldValueNotSupported", message: 'Unsupported value: "x"' }],
      },
      { action: "The dry run", ref, index: 3 },
    );
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.fieldErrors).toEqual([{ path: "resources.3.spec.bundle.format", message: 'RampartPolicy payments/payments-api: Unsupported value: "x"' }]);
    expect(error.details).toMatchObject({ reason: "cluster-invalid", clusterStatus: 422, resource: ref });
  });

  it("never answers the target's credential or permission problems as the caller's own 401/403", () => {
    for (const kind of ["unauthorized", "forbidden", "missing-kind", "conflict", "policy-rejected"] as const) {
      const error = clusterFailure({ kind, status: kind === "unauthorized" ? 401 : 403, message: "refused", causes: [] }, { action: "The apply" });
      expect(error.status).toBe(409);
      expect(error.details.reason).toBe(`cluster-${kind}`);
    }
  });

  it("answers an unreachable cluster with 503 and advice", () => {
    const error = clusterFailure(
      { kind: "unreachable", status: null, message: "cannot reach https://10.0.0.1:6443 (ECONNREFUSED)", causes: [] },
      { action: "The dry run" },
    );
    expect(error.status).toBe(503);
    expect(error.message).toBe(
      "The dry run failed: cannot reach https://10.0.0.1:6443 (ECONNREFUSED). Check that the cluster is up and reachable from the portal, then try again.",
    );
  });

  it("names the kubeconfig field when the stored kubeconfig is unusable", () => {
    const error = clusterFailure(
      { kind: "invalid-kubeconfig", status: null, message: "the kubeconfig has no current-context naming a cluster", causes: [] },
      { action: "The dry run" },
    );
    expect(error.status).toBe(422);
    expect(error.fieldErrors).toEqual([{ path: "kubeconfig", message: "the kubeconfig has no current-context naming a cluster" }]);
  });
});
