import { describe, expect, it, vi } from "vitest";
import { classifyKubeError, ClusterError } from "./cluster-error";
import { RetriesExhausted, retryTransient } from "./retry-transient";

// What an API server answers with: a Status (anything else is never repeated, see classifyKubeError).
const apiException = (code: number, body: unknown, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`HTTP-Code: ${code}`), {
    code,
    body: body && typeof body === "object" ? { kind: "Status", apiVersion: "v1", ...body } : body,
    headers,
  });
const network = (code: string) => Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect"), { code }) });
const ref = { apiVersion: "rampart.dev/v1alpha1", kind: "RampartPolicy", namespace: "payments", name: "payments-api" };

describe("an answer that is not a Kubernetes Status", () => {
  it("is never repeated: the status code only", () => {
    const html = classifyKubeError(apiException(500, "<html>DISTINCTIVE-BODY ami-id instance-id</html>"), { ref });
    expect(html.message).not.toContain("DISTINCTIVE");
    expect(html.message).toContain("500");
    const json = classifyKubeError(apiException(403, '{"Code":"Success","AccessKeyId":"DISTINCTIVE"}'), { ref });
    expect(json.message).not.toContain("DISTINCTIVE");
  });
});

describe("classifyKubeError", () => {
  it("maps statuses and network failures to what an operator acts on", () => {
    expect(classifyKubeError(apiException(401, { message: "Unauthorized" }), { ref }).kind).toBe("unauthorized");
    expect(classifyKubeError(apiException(403, { message: "forbidden" }), { ref }).kind).toBe("forbidden");
    const invalid = classifyKubeError(
      apiException(422, { message: "bad", details: { causes: [{ reason: "FieldValueRequired", message: "Required value", field: "spec.bundle" }] } }),
      { ref },
    );
    expect(invalid).toMatchObject({
      kind: "invalid",
      status: 422,
      causes: [{ field: "spec.bundle", reason: "FieldValueRequired", message: "Required value" }],
    });
    expect(invalid.message).toBe("RampartPolicy payments/payments-api is invalid (422): bad");
    const discovery = Object.assign(apiException(404, { message: "not found" }), { message: "Failed to fetch resource metadata for x: HTTP-Code: 404" });
    expect(classifyKubeError(discovery, { ref }).kind).toBe("missing-kind");
    expect(classifyKubeError(new Error("Unrecognized API version and kind: rampart.dev/v1alpha1 RampartPolicy"), { ref }).kind).toBe("missing-kind");
    expect(classifyKubeError(apiException(503, { message: "down" }, { "retry-after": "2" })).retryAfterSeconds).toBe(2);
    expect(classifyKubeError(network("ECONNREFUSED")).kind).toBe("unreachable");
    expect(classifyKubeError(network("UNABLE_TO_VERIFY_LEAF_SIGNATURE")).kind).toBe("tls");
    // An admission webhook's denial is the cluster's policy, whatever its status; a field the schema does not
    // declare (apply's plain 500) is an invalid resource, not a failure worth retrying.
    const denied = classifyKubeError(
      apiException(403, { message: 'admission webhook "validation.gatekeeper.sh" denied the request: [rampart-baseline] too weak', reason: "Forbidden" }),
      { ref },
    );
    expect(denied).toMatchObject({ kind: "policy-rejected", status: 403 });
    expect(denied.message).toBe(
      "RampartPolicy payments/payments-api was refused by the cluster's admission policy (webhook validation.gatekeeper.sh, 403): [rampart-baseline] too weak",
    );
    expect(
      classifyKubeError(apiException(400, { message: 'admission webhook "validate.kyverno.svc-fail" denied the request: \n\nresource x blocked' })).kind,
    ).toBe("policy-rejected");
    const undeclared = classifyKubeError(
      apiException(500, {
        message:
          "failed to create typed patch object (payments/payments-api; rampart.dev/v1alpha1, Kind=RampartPolicy): .spec.extra: field not declared in schema",
      }),
      { ref },
    );
    expect(undeclared).toMatchObject({ kind: "invalid", status: 500, transient: false, causes: [{ field: "spec.extra", reason: "FieldValueNotDeclared" }] });
  });
});

describe("retryTransient", () => {
  it("retries 5xx and refused connections with growing, jittered waits, then succeeds", async () => {
    vi.useFakeTimers();
    try {
      let calls = 0;
      const result = retryTransient(
        async () => {
          calls++;
          if (calls === 1) throw apiException(500, { message: "boom" });
          if (calls === 2) throw network("ECONNRESET");
          return "done";
        },
        { attempts: 5, baseDelayMs: 40, maxDelayMs: 1000, random: () => 1 },
      );
      // random() = 1: the full ceiling, 40 ms then 80 ms, on a clock the test moves.
      await vi.advanceTimersByTimeAsync(39);
      expect(calls).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls).toBe(2);
      await vi.advanceTimersByTimeAsync(79);
      expect(calls).toBe(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls).toBe(3);
      expect(await result).toEqual({ value: "done", attempts: 3 });
    } finally {
      vi.useRealTimers();
    }
  });

  it("does not retry what the server decided, and stops after the attempts", async () => {
    let calls = 0;
    const conflict = retryTransient(async () => {
      calls++;
      throw apiException(409, { message: "conflict" });
    });
    await expect(conflict).rejects.toBeInstanceOf(RetriesExhausted);
    expect(calls).toBe(1);
    calls = 0;
    const failing = retryTransient(
      async () => {
        calls++;
        throw apiException(503, { message: "down" });
      },
      { attempts: 3, baseDelayMs: 1, random: () => 0 },
    );
    await expect(failing).rejects.toMatchObject({ attempts: 3, error: expect.any(ClusterError) });
    expect(calls).toBe(3);
  });
});
