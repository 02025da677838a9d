import { describe, expect, it } from "vitest";
import { POLICY_VERSION_STATES } from "./policy-schemas";
import { canTransition, refusedTransitionMessage, transitionsFrom } from "./policy-transitions";

describe("policy version transitions", () => {
  it("follow draft → submitted → approved | rejected | back to draft, approved → published", () => {
    expect(Object.fromEntries(POLICY_VERSION_STATES.map((state) => [state, transitionsFrom(state)]))).toEqual({
      draft: ["submit"],
      submitted: ["approve", "request-changes", "reject"],
      approved: ["publish"],
      rejected: [],
      published: [],
      superseded: [],
    });
  });

  it("refuse everything else, saying which state is needed", () => {
    expect(canTransition("draft", "publish")).toBe(false);
    expect(refusedTransitionMessage(3, "published", "approve")).toBe(
      "Version 3 is published; only a submitted version can be approved. Its content is frozen; restore it as a new draft to change it.",
    );
    expect(refusedTransitionMessage(1, "draft", "publish")).toBe("Version 1 is draft; only an approved version can be published.");
    expect(refusedTransitionMessage(2, "approved", "request-changes")).toBe(
      "Version 2 is approved; only a submitted version can be sent back for changes. Its content is frozen; restore it as a new draft to change it.",
    );
  });
});
