import { describe, expect, it } from "vitest";
import { actionsLabelled, auditActionLabel } from "./audit-action-labels";

describe("audit actions in words", () => {
  it("names known actions and the API layer's refused operations", () => {
    expect(auditActionLabel("policy.version.approve")).toBe("Approve a policy version");
    expect(auditActionLabel("api.createApplication")).toBe("Create application");
    expect(auditActionLabel("something.new")).toBe("something.new");
  });

  it("finds actions by the words of their label", () => {
    expect(actionsLabelled("approve a policy version")).toEqual(["policy.version.approve"]);
    expect(actionsLabelled("sign")).toEqual(expect.arrayContaining(["auth.login", "auth.logout"]));
    expect(actionsLabelled("  ")).toEqual([]);
  });
});
