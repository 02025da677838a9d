import { describe, expect, it } from "vitest";
import { describeEffectiveArchitecture } from "./describe-effective-architecture";

describe("describeEffectiveArchitecture", () => {
  it("enforces the baseline at the gateway in A and C, in the microgateways with admission policies in B", () => {
    expect(describeEffectiveArchitecture("A").baselineEnforcement?.where).toBe("gateway");
    expect(describeEffectiveArchitecture("C").baselineEnforcement?.where).toBe("gateway");
    expect(describeEffectiveArchitecture("B").baselineEnforcement).toEqual({
      where: "microgateways",
      how: expect.stringContaining("admission policies"),
    });
  });

  it("lets project leads and developers edit fine-grained policy in A and B, with security approval", () => {
    for (const architecture of ["A", "B"] as const) {
      const { editing } = describeEffectiveArchitecture(architecture);
      expect(editing.baseline).toEqual(["security-officer"]);
      expect(editing.fineGrained).toEqual(["project-lead", "developer"]);
      expect(editing.fineGrainedApprovedBy).toEqual(["security-officer"]);
      expect(editing.changeRequests).toBe(false);
    }
  });

  it("leaves all editing to security officers in C; project teams file change requests", () => {
    const { editing } = describeEffectiveArchitecture("C");
    expect(editing.baseline).toEqual(["security-officer"]);
    expect(editing.fineGrained).toEqual(["security-officer"]);
    expect(editing.changeRequests).toBe(true);
  });

  it("names each architecture's delivery targets", () => {
    expect(describeEffectiveArchitecture("A").deliveryTargets).toEqual(["gateway", "microgateway"]);
    expect(describeEffectiveArchitecture("B").deliveryTargets).toEqual(["microgateway", "cluster"]);
    expect(describeEffectiveArchitecture("C").deliveryTargets).toEqual(["gateway"]);
  });

  it("without an accepted decision: the policy model's default editors, security approval, nothing delivered", () => {
    const undecided = describeEffectiveArchitecture(null);
    expect(undecided.architecture).toBeNull();
    expect(undecided.baselineEnforcement).toBeNull();
    expect(undecided.editing.baseline).toEqual(["security-officer"]);
    expect(undecided.editing.fineGrained).toEqual(["project-lead", "developer"]);
    expect(undecided.editing.fineGrainedApprovedBy).toEqual(["security-officer"]);
    expect(undecided.editing.changeRequests).toBe(false);
    expect(undecided.deliveryTargets).toEqual([]);
  });
});
