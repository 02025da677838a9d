import { describe, expect, it } from "vitest";
import { getIn, setIn } from "./document-edit";

describe("editing a policy document", () => {
  it("sets nested fields, creating the objects on the way", () => {
    expect(setIn({ kind: "ApplicationPolicy" }, ["denyRules", "sqli", "level"], "strict")).toEqual({
      kind: "ApplicationPolicy",
      denyRules: { sqli: { level: "strict" } },
    });
  });

  it("removes a cleared field and the objects it leaves empty, keeping the rest", () => {
    const document = { denyRules: { sqli: { level: "strict" }, xss: { level: "strict" } } };
    expect(setIn(document, ["denyRules", "sqli", "level"], undefined)).toEqual({ denyRules: { xss: { level: "strict" } } });
    expect(setIn({ denyRules: { sqli: { level: "strict" } } }, ["denyRules", "sqli", "level"], undefined)).toEqual({});
    expect(document.denyRules.sqli.level).toBe("strict");
  });

  it("reads what is there and nothing else", () => {
    expect(getIn({ a: { b: [1] } }, ["a", "b"])).toEqual([1]);
    expect(getIn({ a: 1 }, ["a", "b"])).toBeUndefined();
  });
});
